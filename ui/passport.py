"""The indicator passport as the pages show it: a popover wherever an indicator is named, and the full block on
an indicator's detail view (data_access/passport.py holds the facts)."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from data_access import passport as pp
from data_access import status as stt
from data_access.vn import fmt_date, fmt_number
from ui import data


def passport(indicator_id: int) -> pp.FullPassport | None:
    return data.full_passport(indicator_id)


def passport_markdown(p: pp.FullPassport, baseline: str = "") -> str:
    """The passport as a Markdown list (every value escaped)."""
    b = p.base
    e = html.escape
    owners = ("; ".join(f"{e(name)} ({e(where)})" for name, where in p.owners)
              if p.owners else "Chưa có văn bản giao cơ quan chủ trì theo dõi chỉ số này")
    fraction = (f"{e(p.numerator)} / {e(p.denominator)} ({e(p.fraction_source)})" if p.fraction_source
                else f"{pp.NOT_STATED} tử số, mẫu số")
    wording = "".join(f"\n    - {c.year}: “{e(c.quote)}” — {e(c.where)} ({e(c.code)})" for c in p.targets)
    # The short facts first (a phone shows them without scrolling the popover); the documents' wording last.
    lines = [
        f"- **Chỉ số**: {e(b.name)} ({e(b.code)})",
        f"- **Đơn vị**: {e(b.unit or '–')} · **Chiều**: {b.direction} · **Giới hạn tự nhiên**: {b.limits}",
        f"- **Cơ quan chủ trì theo dõi**: {owners}",
        f"- **Chính thức hay ước tính**: {e(p.official_label)} ({fmt_number(b.values)} giá trị: "
        f"{fmt_number(b.official)} chính thức, {fmt_number(b.derived)} suy ra, {fmt_number(b.sample)} mẫu)",
        f"- **Năm gốc**: {e(baseline) if baseline else 'chưa có'}",
        f"- **Tần suất số liệu**: {b.frequency or 'Chưa có số liệu'}"
        + (" · tính từ tiến độ nhiệm vụ của kế hoạch" if b.from_plan else ""),
        f"- **Nguồn**: {e(b.source or 'Chưa ghi nguồn')}"
        + (f" · số liệu chính thức gần nhất: {e(p.value_source)}" if p.value_source else ""),
        f"- **Tử số / mẫu số**: {fraction}",
        f"- **Nhiệm vụ gắn với chỉ số**: {fmt_number(p.linked_tasks)}",
        "- **Định nghĩa**: " + (f"như văn bản ghi chỉ tiêu:{wording}" if p.targets else e(b.name)
                                + " (văn bản không ghi chỉ tiêu cho chỉ số này)"),
    ]
    return "\n".join(lines)


def passport_popover(indicator_id: int, baseline: str = "", key: str = "", label: str = "Hộ chiếu chỉ số") -> None:
    """A small "Hộ chiếu chỉ số" button opening the passport."""
    p = passport(indicator_id)
    if p is None:
        return
    with st.popover(label, icon=":material/badge:", key=key or None):
        st.markdown(passport_markdown(p, baseline))


def linked_tasks(indicator_id: int, as_of: dt.date, overdue_first: bool, key: str) -> None:
    """The tasks linked to the indicator with their status; overdue first for a red or at-risk indicator."""
    df = data.indicator_tasks(indicator_id, as_of, overdue_first)
    if df.empty:
        st.caption("Chưa có nhiệm vụ nào được gắn với chỉ số này (quản trị hệ thống gắn ở trang Liên kết nhiệm vụ – "
                   "chỉ số).")
        return
    overdue = int((df["status"] == stt.OPEN_OVERDUE).sum())
    if overdue_first and overdue:
        st.error(f"{fmt_number(overdue)} nhiệm vụ gắn với chỉ số này đang quá hạn (xếp lên đầu).",
                 icon=":material/warning:")
    table = pd.DataFrame({
        "Mã": df["code"], "Nhiệm vụ": df["task"], "Tình trạng": df["status_label"],
        "Quá hạn (ngày)": [fmt_number(int(d)) if d else "" for d in df["days_overdue"]],
        "Hạn": [fmt_date(d) if d is not None and not pd.isna(d) else "–" for d in df["deadline_date"]],
        "Cơ quan chủ trì": df["leads"], "Căn cứ liên kết": df["basis_label"] + ": " + df["source"],
    })
    statuses = list(df["status"])
    styled = table.style.apply(lambda col: [f"color: {stt.STATUS_COLOURS[s]}; font-weight: 600" for s in statuses],
                               subset=["Tình trạng"])
    st.dataframe(styled, hide_index=True, width="stretch", key=key,
                 column_config={"Nhiệm vụ": st.column_config.TextColumn(width="large"),
                                "Căn cứ liên kết": st.column_config.TextColumn(width="large")})
