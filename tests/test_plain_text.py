"""User- and data-written text is shown literally, never as Markdown or HTML (issue 13, item 6).

A stored image link would make every viewer's browser fetch an outside address; bold
markers and HTML tags must show as typed. The checks read the Markdown bodies AppTest
receives, i.e. exactly what the browser would render.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from tests.importer_files import XLSX_MIME, hand_made_q4
from tests.signin import signed_in
from ui.text import html_text, plain

EVIL = "![x](http://127.0.0.1:9/x.png) **đậm** <b>b</b> :red[đỏ] $x$"
EVIL_FILE = "![x](x.png) **đậm** <b>b.xlsx"  # a browser sends the name as typed (no folders)
KINDS = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")


def _bodies(at: AppTest) -> list[str]:
    return [str(el.value) for kind in KINDS for el in at.get(kind)]


def _assert_nothing_interpreted(at: AppTest) -> None:
    for body in _bodies(at):
        assert "![x](" not in body and "**đậm**" not in body and "<b>" not in body and ":red[" not in body, body


def test_plain_escapes_every_markup_character() -> None:
    assert plain(None) == ""
    assert plain("Sở Nội vụ 90,49%") == r"Sở Nội vụ 90\,49\%"
    assert plain(EVIL).startswith(r"\!\[x\]\(http\:\/\/127\.0\.0\.1\:9\/x\.png\)")
    assert html_text("<img src=x>\n\n**a** ![i](u)") == "&lt;img src=x&gt;<br><br>&#42;&#42;a&#42;&#42; &#33;&#91;i&#93;&#40;u&#41;"


def _poison_tasks(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE task SET text = :t"), {"t": EVIL})
        conn.execute(text("UPDATE plan SET document = :t"), {"t": EVIL})
    st.cache_data.clear()


def test_task_explorer_and_overdue_page_show_task_text_literally(store: Engine) -> None:
    _poison_tasks(store)
    at = signed_in("lanh_dao")
    at.switch_page("pages/nhiem_vu.py").run()
    assert not at.exception
    assert any(plain(EVIL) in body for body in _bodies(at))  # the detail line shows the text, escaped
    _assert_nothing_interpreted(at)
    for page in ("pages/qua_han_co_quan.py", "pages/tien_do_linh_vuc.py", "pages/tong_quan.py",
                 "pages/trinh_chieu.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        _assert_nothing_interpreted(at)
    at.switch_page("pages/qua_han_co_quan.py").run()
    drills = [d.value for d in at.dataframe if "Nhiệm vụ" in d.value.columns]
    assert any((df["Nhiệm vụ"] == EVIL).any() for df in drills)  # tables keep the text exactly as typed


def test_upload_history_shows_the_file_name_literally(store: Engine) -> None:
    at = signed_in("chuyen_vien")
    at.switch_page("pages/cap_nhat.py").run()
    at.file_uploader(key="tep_bao_cao").set_value((EVIL_FILE, hand_made_q4(store), XLSX_MIME))
    at.run()
    assert not at.exception
    assert any(plain(EVIL_FILE) in body for body in _bodies(at))
    _assert_nothing_interpreted(at)
    at.button(key="xac_nhan_cap_nhat").click().run()
    at.switch_page("pages/lich_su_tai_len.py").run()
    at.button(key="ls_hoan_tac").click().run()  # the confirmation names the file
    assert not at.exception
    assert any(plain(EVIL_FILE) in w.value for w in at.warning)
    _assert_nothing_interpreted(at)
