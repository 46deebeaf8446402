"""Core table handles of the SQLModel tables, for SQL expressions (one place, typed).

SQLModel does not type `Model.__table__`; importing the handles from here keeps the
queries free of repeated casts. Every module writes SQL with the short handles at the bottom
(`from data_access.tables import A, SR, T`): one name per table across the code base, never a
local re-alias (`R` here and `SR` there).
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
PERIOD_LOCK = _table(m.PeriodLock)
PERIOD_REOPEN = _table(m.PeriodReopen)
PLAN = _table(m.Plan)
SNAPSHOT = _table(m.Snapshot)
STATUS_REPORT = _table(m.StatusReport)
TARGET = _table(m.Target)
TASK = _table(m.Task)
TASK_TEXT_ALIAS = _table(m.TaskTextAlias)
UPLOAD = _table(m.Upload)
RETURN_APPROVAL = _table(m.ReturnApproval)
SIGNIN_THROTTLE = _table(m.SignInThrottle)
UPLOAD_ASSERTION = _table(m.UploadAssertion)
TASK_INDICATOR = _table(m.TaskIndicator)
SCORECARD_WEIGHT = _table(m.ScorecardWeight)
INDICATOR_PROFILE = _table(m.IndicatorProfile)
EXPLANATION_REQUEST = _table(m.ExplanationRequest)
NUMBER_NOTE = _table(m.NumberNote)
MEETING_CONCLUSION = _table(m.MeetingConclusion)
NOTICE_LOG = _table(m.NoticeLog)

# Short handles: the one naming every module uses in SQL expressions (import these, never re-alias).
A, AG, AL, AU = ASSIGNMENT, AGENCY, AGENCY_ALIAS, AUDIT_LOG
FD, GS, IN, IV, ME, NL = FIELD, GOAL_SCORECARD, INDICATOR, INDICATOR_VALUE, META, NOTICE_LOG
P, PL, PR, RA = PLAN, PERIOD_LOCK, PERIOD_REOPEN, RETURN_APPROVAL
SN, SR, T, TG = SNAPSHOT, STATUS_REPORT, TASK, TARGET
TA, TH, U, UA = TASK_TEXT_ALIAS, SIGNIN_THROTTLE, UPLOAD, UPLOAD_ASSERTION
