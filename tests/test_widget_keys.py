"""The widget-key rule of ui/__init__.py: lower-case ASCII snake_case, each literal key in one file only."""

from __future__ import annotations

import re
from collections import defaultdict

from tests.conftest import ROOT

KEY = re.compile(r"""\bkey=f?"([^"]+)\"""")


def _keys() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]:
        for key in KEY.findall(path.read_text(encoding="utf-8")):
            found[key].add(path.relative_to(ROOT).as_posix())
    return found


def test_widget_keys_follow_the_written_rule() -> None:
    keys = _keys()
    assert len(keys) > 40  # the pages' keys were found
    for key in keys:
        literal = re.sub(r"\{[^}]*\}", "", key)  # f-string parts: the hash, a table's name
        assert re.fullmatch(r"[a-z0-9_]*", literal), key
    shared = {key: files for key, files in keys.items() if len(files) > 1}
    assert not shared, shared
    filters = {key for key, files in keys.items() if files == {"ui/filters.py"} and "{" not in key}
    assert filters and all(key.startswith("f_") for key in filters)
