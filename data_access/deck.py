"""The meeting deck as PDF: one 16:9 page per slide, fonts embedded (every diacritic intact).

Drawn with fpdf2 primitives (bars are vector shapes, text stays extractable); the
typeface is Source Sans Pro from PyPI, the same family Streamlit uses on screen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fpdf import FPDF

from data_access import status as st
from data_access.meeting import SLIDE_TITLES, Comparison, SnapshotView
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period, fmt_target, fmt_value

W, H = 338.67, 190.5  # mm, 13.333 x 7.5 in (16:9)
RED = (183, 28, 28)
DARK = (33, 33, 33)
GREY = (110, 110, 110)


def _font_files() -> tuple[str, str]:
    import font_source_sans_pro as fssp

    folder = Path(fssp.font_directory)
    regular = folder / "SourceSansPro-Regular.ttf"
    bold = folder / "SourceSansPro-Bold.ttf"
    if not regular.exists():  # some releases only ship the OTF of the regular weight as TTF under another name
        regular = next(folder.glob("SourceSansPro-Regular*.ttf"), folder / "SourceSansPro-Semibold.ttf")
    return str(regular), str(bold)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


class Deck(FPDF):
    def __init__(self, snap: SnapshotView, sample: bool) -> None:
        super().__init__(orientation="L", unit="mm", format=(H, W))
        regular, bold = _font_files()
        self.add_font("Sans", "", regular)
        self.add_font("Sans", "B", bold)
        self.set_auto_page_break(False)
        self.snap = snap
        self.sample = sample
        self.set_title(f"{snap.title} - số liệu đến {fmt_date(snap.as_of)}")
        self.set_author("Sở Nội vụ tỉnh Khánh Hòa")

    def slide(self, number: int) -> None:
        self.add_page()
        self.set_fill_color(*RED)
        self.rect(0, 0, W, 24, style="F")
        self.set_text_color(255, 255, 255)
        self.set_font("Sans", "B", 30)
        self.set_xy(12, 4)
        self.cell(W - 24, 16, SLIDE_TITLES[number - 1])
        self.set_text_color(*GREY)
        self.set_font("Sans", "", 11)
        self.set_xy(12, H - 11)
        note = " · DỮ LIỆU MẪU" if self.sample else ""
        self.cell(W - 24, 6, f"{self.snap.title} · Số liệu tính đến ngày {fmt_date(self.snap.as_of)}{note}")
        self.set_xy(W - 40, H - 11)
        self.cell(28, 6, f"{number}/{len(SLIDE_TITLES)}", align="R")
        self.set_text_color(*DARK)

    def text_at(self, x: float, y: float, w: float, h: float, text: str, size: float, bold: bool = False,
                align: str = "L", colour: tuple[int, int, int] = DARK) -> None:
        self.set_font("Sans", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_xy(x, y)
        self.cell(w, h, text, align=align)

    def fit(self, text: str, width: float, size: float) -> str:
        """Cut `text` with an ellipsis so it fits `width` mm at `size` pt."""
        self.set_font("Sans", "", size)
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"


def _kpis(pdf: Deck, fig: dict[str, Any]) -> None:
    ov = fig["overview"]
    pct = 100.0 * ov["done"] / ov["total"] if ov["total"] else None
    cards = [("Tổng số nhiệm vụ", fmt_number(ov["total"])), ("Đã hoàn thành", fmt_pct(pct, 1)),
             ("Quá hạn", fmt_number(ov["overdue"])), ("Sắp đến hạn", fmt_number(ov["due_soon"])),
             ("Chỉ tiêu chưa đạt", fmt_number(ov["indicators_red"]))]
    width = (W - 24 - 4 * 6) / 5
    for i, (label, value) in enumerate(cards):
        x = 12 + i * (width + 6)
        pdf.set_draw_color(220, 220, 220)
        pdf.rect(x, 34, width, 48)
        pdf.text_at(x, 38, width, 10, label, 16, align="C", colour=GREY)
        pdf.text_at(x, 52, width, 24, value, 44, bold=True, align="C",
                    colour=RED if label in ("Quá hạn", "Chỉ tiêu chưa đạt") and value != "0" else DARK)
    counts = ov["counts"]
    total = sum(counts.values()) or 1
    x, y, bar_w = 12.0, 100.0, W - 24
    pdf.text_at(12, 90, bar_w, 8, "Cơ cấu trạng thái nhiệm vụ", 16, bold=True)
    for code in st.STATUS_ORDER:
        w = bar_w * counts.get(code, 0) / total
        if w <= 0:
            continue
        pdf.set_fill_color(*_rgb(st.STATUS_COLOURS[code]))
        pdf.rect(x, y, w, 16, style="F")
        x += w
    y = 122.0
    for i, code in enumerate(st.STATUS_ORDER):
        col, row = i % 3, i // 3
        cx, cy = 12 + col * 108, y + row * 14
        pdf.set_fill_color(*_rgb(st.STATUS_COLOURS[code]))
        pdf.rect(cx, cy + 2, 6, 6, style="F")
        pdf.text_at(cx + 9, cy, 98, 10, f"{st.STATUS_LABELS[code]}: {fmt_number(counts.get(code, 0))}", 16)


def _fields(pdf: Deck, fig: dict[str, Any]) -> None:
    rows = fig["fields"]
    by = {(r["field_code"], r["status"]): r["tasks"] for r in fig["field_status"]}
    label_w, bar_x = 118.0, 134.0
    bar_w = W - bar_x - 40
    top = 32.0
    row_h = min(15.0, (H - top - 30) / max(1, len(rows)))
    for i, r in enumerate(rows):
        y = top + i * row_h
        pdf.text_at(12, y, label_w, row_h - 3, pdf.fit(r["field_name"], label_w, 15), 15)
        x = bar_x
        for code in st.STATUS_ORDER:
            n = by.get((r["field_code"], code), 0)
            w = bar_w * n / r["total"] if r["total"] else 0
            if w > 0:
                pdf.set_fill_color(*_rgb(st.STATUS_COLOURS[code]))
                pdf.rect(x, y + 1, w, row_h - 5, style="F")
                x += w
        pdf.text_at(bar_x + bar_w + 3, y, 34, row_h - 3, fmt_pct(r["pct_done"], 0), 18, bold=True)
    y = H - 24
    for i, code in enumerate(st.STATUS_ORDER):
        cx = 12 + i * 53
        pdf.set_fill_color(*_rgb(st.STATUS_COLOURS[code]))
        pdf.rect(cx, y + 2, 5, 5, style="F")
        pdf.text_at(cx + 7, y, 46, 9, pdf.fit(st.STATUS_LABELS[code], 46, 12), 12)


AGEING = (("d1_30", "1-30 ngày", "#f4a261"), ("d31_90", "31-90 ngày", "#e76f51"), ("d90_plus", "Trên 90 ngày", "#9b2226"))


def _agencies(pdf: Deck, fig: dict[str, Any]) -> None:
    rows = [a for a in fig["agencies"] if a["overdue"] > 0][:10]
    if not rows:
        pdf.text_at(12, 60, W - 24, 20, "Không có nhiệm vụ quá hạn.", 32, bold=True)
        return
    top, label_w, bar_x = 32.0, 120.0, 136.0
    bar_w = W - bar_x - 30
    most = max(a["overdue"] for a in rows)
    row_h = min(13.0, (H - top - 30) / len(rows))
    for i, a in enumerate(rows):
        y = top + i * row_h
        pdf.text_at(12, y, label_w, row_h - 2, pdf.fit(a["agency"], label_w, 15), 15)
        x = bar_x
        for key, _, colour in AGEING:
            w = bar_w * a[key] / most
            if w > 0:
                pdf.set_fill_color(*_rgb(colour))
                pdf.rect(x, y + 1, w, row_h - 4, style="F")
                x += w
        pdf.text_at(x + 2, y, 24, row_h - 2, fmt_number(a["overdue"]), 18, bold=True)
    y = H - 24
    for i, (_, label, colour) in enumerate(AGEING):
        cx = 12 + i * 60
        pdf.set_fill_color(*_rgb(colour))
        pdf.rect(cx, y + 2, 5, 5, style="F")
        pdf.text_at(cx + 7, y, 50, 9, label, 13)
    total = sum(a["overdue"] for a in fig["agencies"])
    pdf.text_at(200, y, W - 212, 9, f"Tổng số lượt quá hạn (theo cơ quan chủ trì): {fmt_number(total)}", 13,
                align="R")


def _header(pdf: Deck, cols: tuple[tuple[str, float], ...], y: float, h: float, size: float) -> None:
    """The grey header row of a table slide; `cols` are (title, width in mm)."""
    x = 12.0
    for name, w in cols:
        pdf.text_at(x, y, w, h, name, size, bold=True, colour=GREY)
        x += w


def _indicators(pdf: Deck, fig: dict[str, Any]) -> None:
    rows = [i for i in fig["indicators"] if i["rag"] in (st.RED, st.AMBER)]
    if not rows:
        pdf.text_at(12, 60, W - 24, 20, "Mọi chỉ tiêu đo được đều đạt.", 32, bold=True)
        return
    cols = (("Chỉ tiêu", 170.0), ("Giá trị", 40.0), ("Kỳ", 34.0), ("Mục tiêu", 36.0), ("Đánh giá", 34.0))
    y = 30.0
    _header(pdf, cols, y, 9, 14)
    row_h = 11.0
    shown = rows[: int((H - 44 - 14) // row_h)]
    for r in shown:
        y += row_h
        year = r.get("target_year")
        comparator = r.get(f"comparator_{year}") if year else None
        target = r.get(f"target_{year}") if year else None
        period = str(r.get("period") or "")
        period_text = fmt_period(period) if period[:4].isdigit() else period
        values = (pdf.fit(r["name"], 166, 14), fmt_value(r["value"], r["unit"]), period_text,
                  fmt_target(comparator, target, r["unit"]), st.RAG_LABELS[r["rag"]])
        x = 12.0
        for (name, w), text in zip(cols, values, strict=True):
            colour = _rgb(st.RAG_COLOURS[r["rag"]]) if name == "Đánh giá" else DARK
            pdf.text_at(x, y, w, row_h - 1, pdf.fit(text, w - 2, 14), 14, bold=name == "Đánh giá", colour=colour)
            x += w
    if len(rows) > len(shown):
        pdf.text_at(12, H - 22, W - 24, 8, f"… và {len(rows) - len(shown)} chỉ tiêu khác (xem trang Chỉ tiêu).", 12,
                    colour=GREY)


def _changes(pdf: Deck, fig: dict[str, Any], cmp: Comparison | None, before: SnapshotView | None) -> None:
    if cmp is None or before is None:
        pdf.text_at(12, 60, W - 24, 20, "Đây là lần chốt số liệu đầu tiên: chưa có kỳ để so sánh.", 28, bold=True)
        return
    pdf.text_at(12, 28, W - 24, 9, f"So với: {before.title} (số liệu đến {fmt_date(before.as_of)})", 15,
                colour=GREY)
    boxes = [("Mới hoàn thành", len(cmp.newly_done)), ("Mới quá hạn", len(cmp.newly_overdue)),
             ("Chỉ tiêu thay đổi", len(cmp.indicators_moved)), ("Cơ quan tiến bộ", len(cmp.agencies_improved)),
             ("Cơ quan chậm thêm", len(cmp.agencies_behind))]
    width = (W - 24 - 4 * 5) / 5
    for i, (label, n) in enumerate(boxes):
        x = 12 + i * (width + 5)
        pdf.set_draw_color(220, 220, 220)
        pdf.rect(x, 40, width, 34)
        pdf.text_at(x, 42, width, 9, label, 14, align="C", colour=GREY)
        pdf.text_at(x, 52, width, 18, fmt_number(n), 34, bold=True, align="C")
    y = 80.0
    col_w = (W - 30) / 2
    pdf.text_at(12, y, col_w, 8, "Mới hoàn thành", 15, bold=True)
    pdf.text_at(18 + col_w, y, col_w, 8, "Mới quá hạn", 15, bold=True)
    for i, item in enumerate(cmp.newly_done[:7]):
        pdf.text_at(12, y + 9 + i * 9, col_w, 8, pdf.fit(f"{item['code']}: {item['task']}", col_w, 13), 13)
    for i, item in enumerate(cmp.newly_overdue[:7]):
        pdf.text_at(18 + col_w, y + 9 + i * 9, col_w, 8, pdf.fit(f"{item['code']}: {item['task']}", col_w, 13), 13)
    changes = [f"{a['agency']} ({a['before']}→{a['after']})" for a in cmp.agencies_behind[:4]]
    if changes:
        pdf.text_at(12, H - 22, W - 24, 8, pdf.fit("Chậm thêm: " + "; ".join(changes), W - 24, 12), 12, colour=RED)


def _explain(pdf: Deck, fig: dict[str, Any]) -> None:
    rows = fig["overdue"]
    if not rows:
        pdf.text_at(12, 60, W - 24, 20, "Không có nhiệm vụ quá hạn cần giải trình.", 28, bold=True)
        return
    cols = (("Cơ quan chủ trì", 76.0), ("Nhiệm vụ", 126.0), ("Hạn", 26.0), ("Quá hạn", 24.0),
            ("Khó khăn, vướng mắc", 62.0))
    y = 29.0
    _header(pdf, cols, y, 8, 13)
    row_h = 9.5
    shown = rows[: int((H - 40 - 14) // row_h)]
    for r in shown:
        y += row_h
        deadline = dt.date.fromisoformat(r["deadline_date"]) if r["deadline_date"] else None
        values = (r["agency"], f"{r['code']}: {r['task']}", fmt_date(deadline), f"{fmt_number(r['days_overdue'])} ngày",
                  r["difficulties"] or "Chưa nêu")
        x = 12.0
        for (name, w), text in zip(cols, values, strict=True):
            pdf.text_at(x, y, w, row_h - 1, pdf.fit(str(text), w - 2, 12), 12, colour=RED if name == "Quá hạn" else DARK)
            x += w
    if len(rows) > len(shown):
        pdf.text_at(12, H - 20, W - 24, 7, f"… và {len(rows) - len(shown)} lượt quá hạn khác (danh sách đầy đủ "
                    "trên trang Quá hạn theo cơ quan).", 11, colour=GREY)


def render_deck(snap: SnapshotView, before: SnapshotView | None, comparison: Comparison | None,
                sample: bool = False) -> bytes:
    """The six slides as PDF bytes, one page each."""
    pdf = Deck(snap, sample)
    fig = snap.figures
    for number, draw in enumerate(
        (lambda: _kpis(pdf, fig), lambda: _fields(pdf, fig), lambda: _agencies(pdf, fig),
         lambda: _indicators(pdf, fig), lambda: _changes(pdf, fig, comparison, before), lambda: _explain(pdf, fig)),
        start=1,
    ):
        pdf.slide(number)
        draw()
    return bytes(pdf.output())
