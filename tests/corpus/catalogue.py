"""The sample store's tasks, read once, so the corpus copies real codes, texts and leads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class TaskInfo:
    code: str
    number: str
    text: str
    output: str
    deadline: str
    plan: str
    plan_year: int
    leads: tuple[str, ...]  # lead agencies' official names
    assigned: tuple[str, ...]  # leads as the plan names them ("Các sở, ban, ngành", ...)


class Catalogue:
    """Tasks by code; `lead_of` checks a builder's choice against the store."""

    def __init__(self, engine: Engine) -> None:
        heads: dict[str, tuple[str, str, str, str, str, int]] = {}
        leads: dict[str, list[str]] = {}
        assigned: dict[str, list[str]] = {}
        sql = text(
            "SELECT t.code, coalesce(t.number, ''), t.text, coalesce(t.output, ''), coalesce(t.deadline_text, ''), "
            "p.code, p.year, a.name, coalesce(s.name_as_assigned, '') "
            "FROM task t JOIN plan p ON p.id = t.plan_id "
            "LEFT JOIN assignment s ON s.task_id = t.id AND s.role = 'chu_tri' "
            "LEFT JOIN agency a ON a.id = s.agency_id ORDER BY t.code, s.id"
        )
        with engine.connect() as conn:
            for code, number, body, output, deadline, plan, year, lead, as_assigned in conn.execute(sql):
                heads.setdefault(code, (number, body, output, deadline, plan, int(year)))
                leads.setdefault(code, [])
                assigned.setdefault(code, [])
                if lead:
                    leads[code].append(lead)
                    assigned[code].append(as_assigned)
        self.tasks = {
            code: TaskInfo(code, number, body, output, deadline, plan, year, tuple(leads[code]), tuple(assigned[code]))
            for code, (number, body, output, deadline, plan, year) in heads.items()
        }

    def __getitem__(self, code: str) -> TaskInfo:
        return self.tasks[code]

    def text(self, code: str) -> str:
        return self.tasks[code].text

    def check_lead(self, code: str, *agencies: str) -> TaskInfo:
        """The task, after checking that one of `agencies` leads it (the corpus must match the store)."""
        info = self.tasks[code]
        if not set(agencies) & set(info.leads):
            raise AssertionError(f"{code} is led by {info.leads}, not by {agencies}")
        return info
