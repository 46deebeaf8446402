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
        rows: dict[str, dict[str, object]] = {}
        sql = text(
            "SELECT t.code, coalesce(t.number, ''), t.text, coalesce(t.output, ''), coalesce(t.deadline_text, ''), "
            "p.code, p.year, a.name, coalesce(s.name_as_assigned, '') "
            "FROM task t JOIN plan p ON p.id = t.plan_id "
            "LEFT JOIN assignment s ON s.task_id = t.id AND s.role = 'chu_tri' "
            "LEFT JOIN agency a ON a.id = s.agency_id ORDER BY t.code, s.id"
        )
        with engine.connect() as conn:
            for code, number, body, output, deadline, plan, year, lead, assigned in conn.execute(sql):
                item = rows.setdefault(code, {"number": number, "text": body, "output": output, "deadline": deadline,
                                              "plan": plan, "year": year, "leads": [], "assigned": []})
                if lead:
                    item["leads"].append(lead)  # type: ignore[attr-defined]
                    item["assigned"].append(assigned)  # type: ignore[attr-defined]
        self.tasks = {
            code: TaskInfo(code, str(v["number"]), str(v["text"]), str(v["output"]), str(v["deadline"]), str(v["plan"]),
                           int(v["year"]), tuple(v["leads"]), tuple(v["assigned"]))  # type: ignore[call-overload]
            for code, v in rows.items()
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
