"""Core table handles of the SQLModel tables, for SQL expressions (one place, typed).

SQLModel does not type `Model.__table__`; importing the handles from here keeps the
queries free of repeated casts.
"""

from __future__ import annotations

from sqlalchemy import Table

from data_access import models as m


def _table(model: type) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


AGENCY = _table(m.Agency)
AGENCY_ALIAS = _table(m.AgencyAlias)
ASSIGNMENT = _table(m.Assignment)
AUDIT_LOG = _table(m.AuditLog)
FIELD = _table(m.Field)
GOAL_SCORECARD = _table(m.GoalScorecard)
INDICATOR = _table(m.Indicator)
INDICATOR_VALUE = _table(m.IndicatorValue)
META = _table(m.Meta)
PLAN = _table(m.Plan)
SNAPSHOT = _table(m.Snapshot)
STATUS_REPORT = _table(m.StatusReport)
TARGET = _table(m.Target)
TASK = _table(m.Task)
TASK_TEXT_ALIAS = _table(m.TaskTextAlias)
UPLOAD = _table(m.Upload)
SIGNIN_THROTTLE = _table(m.SignInThrottle)
UPLOAD_ASSERTION = _table(m.UploadAssertion)
EXPLANATION_REQUEST = _table(m.ExplanationRequest)
NUMBER_NOTE = _table(m.NumberNote)
MEETING_CONCLUSION = _table(m.MeetingConclusion)
