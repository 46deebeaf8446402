"""Settings that document themselves: the registry is the README table, the settings page and `Settings`."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy.engine import Engine

from data_access import settings as cfg
from tests.conftest import ROOT
from tests.signin import PASSWORDS, app, sign_in


def _readme_rows() -> dict[str, str]:
    """Variable -> default cell of README's "Cấu hình" table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| Biến | Mặc định | Tác dụng |"):].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        name, default, _ = (cell.strip() for cell in line.strip().strip("|").split(" | ", 2))
        rows[name.strip("`")] = default
    return rows


def test_settings_are_documented() -> None:
    """datasette's test_settings_are_documented: README lists exactly the registry, names and defaults."""
    documented = _readme_rows()
    assert list(documented) == [spec.env for spec in cfg.REGISTRY]
    assert documented == {spec.env: spec.readme_default for spec in cfg.REGISTRY}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cfg.readme_table() in readme, "README's table differs from settings.readme_table():\n" + cfg.readme_table()


def test_every_settings_field_is_declared_once() -> None:
    fields = [f.name for f in dataclasses.fields(cfg.Settings)]
    declared = [spec.field for spec in cfg.REGISTRY if spec.field is not None]
    assert sorted(fields) == sorted(declared)
    assert len({spec.env for spec in cfg.REGISTRY}) == len(cfg.REGISTRY)


def test_defaults_are_the_declared_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in cfg.REGISTRY:
        monkeypatch.delenv(spec.env, raising=False)
    s = cfg.get_settings()
    for spec in cfg.REGISTRY:
        if spec.field is None or spec.default is None:
            continue
        value = getattr(s, spec.field)
        if isinstance(value, int):
            assert value == int(spec.default), spec.env
        else:  # paths and the database address: the documented relative default, under the project folder
            assert str(value).endswith(spec.default.removeprefix("sqlite:///")), spec.env


def test_a_set_variable_is_read_and_a_bad_number_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_DUE_SOON_DAYS", "45")
    assert cfg.get_settings().due_soon_days == 45
    monkeypatch.setenv("CCHC_UPLOAD_MAX_ROWS", "nhiều")
    with pytest.raises(ValueError, match="CCHC_UPLOAD_MAX_ROWS phải là số nguyên"):
        cfg.get_settings()


def test_settings_page_lists_the_registry(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_COOKIE_KEY", "k" * 40)
    monkeypatch.setenv("CCHC_RETURN_DUE_DAYS", "20")
    at = sign_in(app(), *PASSWORDS["quan_tri"])
    at.switch_page("pages/quan_tri_cau_hinh.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    values = dict(zip(shown["Biến môi trường"], shown["Giá trị"], strict=True))
    assert [v for v in shown["Biến môi trường"] if v] == [s.env for s in cfg.REGISTRY if s.scope != cfg.TEST]
    assert values["CCHC_RETURN_DUE_DAYS"] == "20 ngày sau ngày cuối quý"
    assert values["CCHC_UPLOAD_MAX_ROWS"] == "20.000 dòng"
    assert values["CCHC_COOKIE_KEY"] == "đã đặt"  # a secret is never shown
    assert not any("k" * 40 in str(v) for v in shown["Giá trị"])
    assert re.search(r"phiên bản cấu trúc \S+", " ".join(shown["Giá trị"]))
