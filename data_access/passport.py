"""The complete indicator passport (issue 18, item 1): what an indicator is, who answers for it, where its
figures come from. Pure core (no Streamlit); every fact carries the citation the store holds for it.

Fields: definition (the indicator's name, and the targets' verbatim wording with document, seed file and
line), numerator / denominator (only where a document writes the figure out as a fraction,
`models.IndicatorProfile`; otherwise "văn bản không nêu"), unit, direction, natural limits, owner agency
(the lead agencies of the tasks whose own output states the indicator's target, `links.indicator_owners`;
none when no document assigns it), source of the figures (the latest document/upload value's source, never
a generated one), frequency, baseline (from the targets page's forecast), and how many values are official
(document or upload), derived or generated ("mẫu").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access import links
from data_access import tables as tb
from data_access import targets as tg

NOT_STATED = "Văn bản không nêu"


@dataclass(frozen=True)
class Citation:
    """One target's wording of the indicator: code, year, quote, document, seed file, first and last line."""

    code: str
    year: int
    quote: str
    document: str
    seed_file: str
    first: int | None
    last: int | None

    @property
    def where(self) -> str:
        if self.first is None:
            return f"{self.document} ({self.seed_file})"
        lines = f"dòng {self.first}" if self.last in (None, self.first) else f"dòng {self.first}-{self.last}"
        return f"{self.document} ({self.seed_file}, {lines})"


@dataclass(frozen=True)
class FullPassport:
    base: tg.Passport
    indicator_id: int
    field_code: str | None
    numerator: str
    denominator: str
    fraction_source: str
    owners: list[tuple[str, str]]  # (agency, citation)
    targets: list[Citation]
    value_source: str  # the latest official (document/upload) value's source, "" without one
    linked_tasks: int
    official_label: str = field(default="")  # "Chính thức", "Có giá trị suy ra", "Chỉ có số liệu mẫu", ...


def _official_label(p: tg.Passport) -> str:
    if p.values == 0:
        return "Chưa có số liệu"
    if p.official == p.values:
        return "Số liệu chính thức (văn bản, báo cáo tải lên)"
    if p.official == 0 and p.derived == 0:
        return "Chỉ có số liệu mẫu (sinh tự động), không dùng để báo cáo"
    parts = [f"{p.official} chính thức"]
    if p.derived:
        parts.append(f"{p.derived} suy ra từ số liệu văn bản")
    if p.sample:
        parts.append(f"{p.sample} mẫu (sinh tự động)")
    return "Có cả: " + ", ".join(parts)


def indicator_id_by_code(engine: Engine, code: str) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(select(tb.INDICATOR.c.id).where(tb.INDICATOR.c.code == code)).scalar_one_or_none()
    return int(found) if found is not None else None


def full_passport(engine: Engine, indicator_id: int) -> FullPassport | None:
    """The complete passport of one indicator; None when there is no such indicator."""
    base = tg.indicator_passport(engine, indicator_id)
    if base is None:
        return None
    t, pr, iv, i = tb.TARGET, tb.INDICATOR_PROFILE, tb.INDICATOR_VALUE, tb.INDICATOR
    with engine.connect() as conn:
        field_code = conn.execute(select(i.c.field_code).where(i.c.id == indicator_id)).scalar_one_or_none()
        profile = conn.execute(select(pr).where(pr.c.indicator_id == indicator_id)).mappings().first()
        targets = [Citation(str(r.code), int(r.year), str(r.source_quote), str(r.source), str(r.seed_file),
                            r.seed_line, r.seed_line_end)
                   for r in conn.execute(select(t.c.code, t.c.year, t.c.source_quote, t.c.source, t.c.seed_file,
                                                t.c.seed_line, t.c.seed_line_end)
                                         .where(t.c.indicator_id == indicator_id).order_by(t.c.year, t.c.code))]
        value_source = conn.execute(
            select(iv.c.source).where(iv.c.indicator_id == indicator_id, iv.c.is_sample.is_(False))
            .order_by(iv.c.period_end.desc(), iv.c.id.desc()).limit(1)).scalar_one_or_none()
    return FullPassport(
        base=base, indicator_id=indicator_id, field_code=field_code,
        numerator=str(profile["numerator"]) if profile else NOT_STATED,
        denominator=str(profile["denominator"]) if profile else NOT_STATED,
        fraction_source=str(profile["source"]) if profile else "",
        owners=links.indicator_owners(engine, indicator_id), targets=targets,
        value_source=str(value_source or ""), linked_tasks=links.link_counts(engine).get(indicator_id, 0),
        official_label=_official_label(base),
    )
