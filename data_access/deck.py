"""The meeting deck as PDF: one 16:9 page per slide, fonts embedded (every diacritic intact).

Drawn with fpdf2 primitives (bars are vector shapes, text stays extractable); the
typeface is Source Sans Pro from PyPI, the same family Streamlit uses on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

from data_access import status
from data_access.meeting import (
    SLIDE_TITLES,
    Comparison,
    SlideContent,
    SlideTable,
    SnapshotFigures,
    SnapshotView,
    deck_content,
)
from data_access.vn import fmt_date, fmt_number, fmt_pct

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
        """Cut `text` on a word boundary with an ellipsis so it fits `width` mm at `size` pt."""
        self.set_font("Sans", "", size)
        if self.get_string_width(text) <= width:
            return text
        words = text.split()
        while len(words) > 1 and self.get_string_width(" ".join(words) + "…") > width:
            words.pop()  # drop whole words: a name is never cut mid-word
        text = " ".join(words).rstrip(" ,;:.-–")
        while text and self.get_string_width(text + "…") > width:  # a single word longer than the cell
            text = text[:-1]
        return text + "…"


def _kpi_boxes(pdf: Deck, kpis: list[tuple[str, str, bool]], y: float, h: float, label_size: float,
               value_size: float) -> None:
    width = (W - 24 - 4 * 6) / 5
    for i, (label, value, bad) in enumerate(kpis):
        x = 12 + i * (width + 6)
        pdf.set_draw_color(220, 220, 220)
        pdf.rect(x, y, width, h)
        pdf.text_at(x, y + 3, width, 9, pdf.fit(label, width - 4, label_size), label_size, align="C", colour=GREY)
        pdf.text_at(x, y + 12, width, h - 16, value, value_size, bold=True, align="C", colour=RED if bad else DARK)


def _kpis(pdf: Deck, content: SlideContent) -> None:
    # With the previous meeting's conclusions below, everything moves up to make room (`lift` mm).
    lift = 24.0 if content.tables else 0.0
    _kpi_boxes(pdf, content.kpis, 34, 48 - lift / 2, 16, 44 if not lift else 34)
    counts = {b["status"]: b["tasks"] for b in content.bars}
    total = sum(counts.values()) or 1
    x, y, bar_w = 12.0, 100.0 - lift, W - 24
    pdf.text_at(12, 90 - lift, bar_w, 8, "Cơ cấu trạng thái nhiệm vụ", 16, bold=True)
    for code in status.STATUS_ORDER:
        w = bar_w * counts.get(code, 0) / total
        if w <= 0:
            continue
        pdf.set_fill_color(*_rgb(status.STATUS_COLOURS[code]))
        pdf.rect(x, y, w, 16 - lift / 3, style="F")
        x += w
    y = 122.0 - lift - lift / 3
    for i, code in enumerate(status.STATUS_ORDER):
        col, row = i % 3, i // 3
        cx, cy = 12 + col * 108, y + row * 14
        pdf.set_fill_color(*_rgb(status.STATUS_COLOURS[code]))
        pdf.rect(cx, cy + 2, 6, 6, style="F")
        pdf.text_at(cx + 9, cy, 98, 10, f"{status.STATUS_LABELS[code]}: {fmt_number(counts.get(code, 0))}", 16)


def _fields(pdf: Deck, fig: SnapshotFigures, content: SlideContent) -> None:
    rows = content.bars
    by = {(r["field_code"], r["status"]): r["tasks"] for r in fig["field_status"]}
    label_w, bar_x = 118.0, 134.0
    bar_w = W - bar_x - 40
    top = 34.0
    row_h = min(15.0, (H - top - 30) / max(1, len(rows)))
    for i, r in enumerate(rows):
        y = top + i * row_h
        pdf.text_at(12, y, label_w, row_h - 3, pdf.fit(r["field_name"], label_w, 15), 15)
        x = bar_x
        for code in status.STATUS_ORDER:
            n = by.get((r["field_code"], code), 0)
            w = bar_w * n / r["total"] if r["total"] else 0
            if w > 0:
                pdf.set_fill_color(*_rgb(status.STATUS_COLOURS[code]))
                pdf.rect(x, y + 1, w, row_h - 5, style="F")
                x += w
        pdf.text_at(bar_x + bar_w + 3, y, 34, row_h - 3, fmt_pct(r["pct_done"], 0), 18, bold=True)
    y = H - 24
    for i, code in enumerate(status.STATUS_ORDER):
        cx = 12 + i * 53
        pdf.set_fill_color(*_rgb(status.STATUS_COLOURS[code]))
        pdf.rect(cx, y + 2, 5, 5, style="F")
        pdf.text_at(cx + 7, y, 46, 9, pdf.fit(status.STATUS_LABELS[code], 46, 12), 12)


def _agencies(pdf: Deck, fig: SnapshotFigures, content: SlideContent) -> None:
    rows = content.bars
    top, label_w, bar_x = 34.0, 120.0, 136.0
    bar_w = W - bar_x - 30
    most = max(a["overdue"] for a in rows)
    row_h = min(13.0, (H - top - 30) / len(rows))
    for i, a in enumerate(rows):
        y = top + i * row_h
        pdf.text_at(12, y, label_w, row_h - 2, pdf.fit(a["agency"], label_w, 15), 15)
        x = bar_x
        for bucket in status.AGEING:
            w = bar_w * a[bucket.key] / most
            if w > 0:
                pdf.set_fill_color(*_rgb(bucket.colour))
                pdf.rect(x, y + 1, w, row_h - 4, style="F")
                x += w
        pdf.text_at(x + 2, y, 24, row_h - 2, fmt_number(a["overdue"]), 18, bold=True)
    y = H - 24
    for i, bucket in enumerate(status.AGEING):
        cx = 12 + i * 60
        pdf.set_fill_color(*_rgb(bucket.colour))
        pdf.rect(cx, y + 2, 5, 5, style="F")
        pdf.text_at(cx + 7, y, 50, 9, bucket.label, 13)
    total = sum(a["overdue"] for a in fig["agencies"])
    pdf.text_at(200, y, W - 212, 9, f"Tổng số lượt quá hạn (theo cơ quan chủ trì): {fmt_number(total)}", 13,
                align="R")


def _table(pdf: Deck, table: SlideTable, widths: tuple[float, ...], x0: float, y: float, size: float,
           row_h: float) -> float:
    """Draw `table` (header, rows, footnote); each cell is cut on a word boundary to its width. Returns the end y."""
    x = x0
    for name, w in zip(table.columns, widths, strict=True):
        pdf.text_at(x, y, w, row_h - 1, name, size, bold=True, colour=GREY)
        x += w
    for row in table.rows:
        y += row_h
        x = x0
        for i, (text, w) in enumerate(zip(row, widths, strict=True)):
            colour = _rgb(table.colours[text]) if i == len(row) - 1 and text in table.colours else DARK
            pdf.text_at(x, y, w, row_h - 1, pdf.fit(text, w - 2, size), size, bold=colour != DARK, colour=colour)
            x += w
    if table.more:
        y += row_h
        pdf.text_at(x0, y, sum(widths), 7, table.more, 12, colour=GREY)
    return y


REQUEST_WIDTHS = (70.0, 56.0, 26.0, 128.0, 34.0)


def _requests(pdf: Deck, content: SlideContent, y: float) -> None:
    """The explanation requests table (the slide's second table), if any, from `y` down."""
    if len(content.tables) < 2:
        return
    pdf.text_at(12, y, W - 24, 8, content.tables[1].caption, 14, bold=True)
    _table(pdf, content.tables[1], REQUEST_WIDTHS, 12.0, y + 9, 12, 9.5)


def _indicators(pdf: Deck, content: SlideContent) -> None:
    end = _table(pdf, content.tables[0], (170.0, 40.0, 34.0, 36.0, 34.0), 12.0, 34.0, 14, 13.0)
    _requests(pdf, content, end + 12)


def _changes(pdf: Deck, content: SlideContent, cmp: Comparison) -> None:
    _kpi_boxes(pdf, content.kpis, 36, 34, 14, 34)
    col_w = (W - 30) / 2
    for i, table in enumerate(content.tables):
        x = 12 + i * (col_w + 6)
        pdf.text_at(x, 78, col_w, 8, table.caption, 15, bold=True)
        _table(pdf, table, (34.0, col_w - 34), x, 88.0, 13, 10.0)
    changes = [f"{a['agency']} ({a['before']}→{a['after']})" for a in cmp.agencies_behind[:4]]
    if changes:
        pdf.text_at(12, H - 22, W - 24, 8, pdf.fit("Chậm thêm: " + "; ".join(changes), W - 24, 12), 12, colour=RED)


def _explain(pdf: Deck, content: SlideContent) -> None:
    end = _table(pdf, content.tables[0], (70.0, 130.0, 26.0, 26.0, 62.0), 12.0, 34.0, 12, 12.0)
    _requests(pdf, content, end + 12)


def render_deck(snap: SnapshotView, before: SnapshotView | None, comparison: Comparison | None,
                sample: bool = False, requests: Sequence[dict[str, Any]] | None = None,
                conclusions: Sequence[dict[str, Any]] | None = None) -> bytes:
    """The six slides as PDF bytes, one page each, drawn from `meeting.deck_content` like the screen
    (with the explanation requests `requests` on slides 4 and 6, as on the screen)."""
    pdf = Deck(snap, sample)
    fig = snap.figures
    for content in deck_content(snap, before, comparison, requests, conclusions):
        pdf.slide(content.number)
        if content.subtitle:
            pdf.text_at(12, 25.5, W - 24, 7, pdf.fit(content.subtitle, W - 24, 13), 13, colour=GREY)
        if content.empty:
            pdf.text_at(12, 60, W - 24, 20, content.empty, 28, bold=True)
        elif content.number == 1:
            _kpis(pdf, content)
            if content.tables:  # the previous meeting's conclusions
                table = content.tables[0]
                pdf.text_at(12, 126, W - 24, 8, pdf.fit(table.caption, W - 24, 14), 14, bold=True)
                _table(pdf, table, (160.0, 70.0, 30.0, 54.67), 12.0, 135.0, 12, 9.0)
        elif content.number == 2:
            _fields(pdf, fig, content)
        elif content.number == 3:
            _agencies(pdf, fig, content)
        elif content.number == 4:
            _indicators(pdf, content)
        elif content.number == 5 and comparison is not None:
            _changes(pdf, content, comparison)
        elif content.number == 6:
            _explain(pdf, content)
    return bytes(pdf.output())
