"""Matching the rows of a quarterly return to tasks, and reconciling what cannot be matched.

Pure core (no Streamlit). `Matcher` holds the lead assignments of the reporting agency and of
its divisions (its *scope*: a Sở's return covers the tasks its phòng lead) and decides, for
one row, which assignment the row reports on, or why it cannot say.

The rule: **evidence must agree before anything is written**. A row is written only when
every piece of evidence it carries points to the same single assignment:

1. *Code and text.* A row with a task code and a task text is matched by the code only when
   the text is that task's text: equal after folding (`text_key`: accents, case, punctuation,
   list numbers such as "1." / "a)" / "-", the domain's abbreviations TTHC, CCHC, UBND,
   CBCCVC, ... and spellings "qui"/"quy", "lí"/"lý" are folded), a wording the agency
   confirmed before (a remembered pairing), or clearly the same task by similarity (score
   >= `AGREE_SCORE`, or >= `AGREE_MIN` with no other task of the scope scoring higher).
   Otherwise the row is `ambiguous` (copied row with overwritten text, swapped digits): not
   written, and the message names the code's task and the task the text matches, if any.
2. *Text alone.* A row without a code is matched by its folded text (or a remembered
   pairing of this agency). A text found in several tasks (texts recur word for word across
   the 2024, 2025 and 2026 plans, and between divisions of one plan) is resolved first by the
   plan whose period contains the return's period, then by the lead column (an agency that
   writes its own name where one of its divisions leads is the same scope: it does not tell
   divisions apart), else the row is `ambiguous` and the candidates are listed.
3. *Contradiction.* A single candidate is still not written when the row contradicts it: a
   text-only match whose plan's period does not contain the return's period, or a lead
   column naming another known agency. The row is `ambiguous` (flagged) with the reason.
   An unknown lead text is no evidence either way.
4. *No candidate.* The row is `unmatched`.

Every `unmatched` or `ambiguous` row carries up to three `Suggestion`s (tasks of the
scope, ranked by a token similarity that knows the domain's abbreviations and tolerates
dropped words, lowered for plans of other periods and for contradicting lead columns), each
with a score in [0, 1] and a short Vietnamese reason. An officer's decision (`confirm`) maps a
row to a task code; on apply a confirmed wording is remembered for that agency
(`task_text_alias`), so the same wording matches by itself the next quarter
("khớp theo cặp đã xác nhận"). Administrators list (`pairings`) and remove
(`remove_pairing`) remembered pairings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access import models as m
from data_access.db import bump_data_version
from data_access.permissions import Actor, record_audit, require
from data_access.tables import AG, AL, TA, A, P, T
from data_access.vn import fmt_period, nfc, search_key

UNMATCHED = "unmatched"
AMBIGUOUS = "ambiguous"

BY_CODE = "mã"
BY_TEXT = "nội dung"
BY_PAIRING = "cặp đã xác nhận"
BY_DECISION = "xác nhận"

AGREE_SCORE = 0.9  # code and text agree when the text is this similar to the code's task
AGREE_MIN = 0.6  # ... or at least this similar and no other task of the scope is closer
# A suggestion from a plan of another period, or whose lead contradicts the row's lead column, ranks
# lower: even word for word it stays under 0.9, so "accept every suggestion from 0,9" does not take it.
PERIOD_FACTOR = 0.85
LEAD_FACTOR = 0.8
MAX_SUGGESTIONS = 3
ACCEPT_MARGIN = 0.05  # `accept_above` takes a top suggestion only this far ahead of the next



# --- folding ------------------------------------------------------------------------------

# Abbreviations of the CCHC documents, expanded so "TTHC" and "thủ tục hành chính" fold alike.
ABBREVIATIONS: dict[str, str] = {
    "tthc": "thu tuc hanh chinh",
    "cchc": "cai cach hanh chinh",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "cbccvc": "can bo cong chuc vien chuc",
    "cbcc": "can bo cong chuc",
    "ccvc": "cong chuc vien chuc",
    "dvsncl": "don vi su nghiep cong lap",
    "dvsnc": "don vi su nghiep cong",
    "cqnn": "co quan nha nuoc",
    "cqhcnn": "co quan hanh chinh nha nuoc",
    "vbqppl": "van ban quy pham phap luat",
    "qppl": "quy pham phap luat",
    "cntt": "cong nghe thong tin",
    "csdl": "co so du lieu",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "ttdt": "thong tin dien tu",
    "ttpvhcc": "trung tam phuc vu hanh chinh cong",
    "hcc": "hanh chinh cong",
    "bcd": "ban chi dao",
    "nsnn": "ngan sach nha nuoc",
    "snv": "so noi vu",
    "vp": "van phong",
    "mtcq": "mot cua",
}
# Spellings that differ only by i/y (both correct in Vietnamese): "qui định" / "quy định", "quản lí" / "quản lý".
SPELLINGS: dict[str, str] = {"qui": "quy", "ki": "ky", "li": "ly", "mi": "my", "si": "sy"}
_LIST_MARKER = re.compile(
    r"^\s*(?:(?:\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}(?:\.\d{1,2})+|[a-zđA-ZĐ][.)]|[IVXivx]{1,4}[.)]|\(\w{1,3}\))(?=\s|$)"
    r"|[-–—•+*·])\s*"
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,2}\s+(?=\D)")  # "10. 1 Kiểm soát": the "1" of a split "10.1"
_TOKEN_SPLIT = re.compile(r"[\s/]+")


def fold_tokens(text: str | None) -> tuple[str, ...]:
    """The words of `text` after folding: accents, case, punctuation and leading list
    numbers dropped, abbreviations expanded, i/y spellings unified."""
    if not text:
        return ()
    plain = nfc(text)
    for i in range(3):  # "1. a) - ..." nests at most a few markers
        stripped = _LIST_MARKER.sub("", plain, count=1)
        if stripped == plain and i:
            stripped = _BARE_NUMBER.sub("", plain, count=1)
        if stripped == plain:
            break
        plain = stripped
    out: list[str] = []
    for token in _TOKEN_SPLIT.split(search_key(plain)):
        if not token:
            continue
        token = SPELLINGS.get(token, token)
        expanded = ABBREVIATIONS.get(token)
        if expanded:
            out.extend(expanded.split())
        else:
            out.append(token)
    return tuple(out)


def text_key(text: str | None) -> str:
    """The folded key of a task text: two texts with the same key are the same wording."""
    return " ".join(fold_tokens(text))


def code_key(code: str) -> str:
    """A task code as compared: spaces dropped, upper case."""
    return "".join(code.split()).upper()


# --- similarity ---------------------------------------------------------------------------


class TokenIndex:
    """Documents (task texts) indexed by folded token, scored against a query by an
    IDF-weighted blend of Dice overlap and containment (the share of the query's words found
    in the task: tolerates dropped words). Only documents sharing a not-too-common token with
    the query are scored, so a query costs little even over 20 000 tasks."""

    def __init__(self, docs: Sequence[tuple[str, ...]]) -> None:
        self.docs = [frozenset(d) for d in docs]
        df: dict[str, int] = defaultdict(int)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, tokens in enumerate(self.docs):
            for token in tokens:
                df[token] += 1
                postings[token].append(i)
        n = max(len(self.docs), 1)
        self.unseen = math.log(1 + n)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.postings = postings
        self.cap = max(200, n // 10)
        self.weights = [sum(self.idf[t] for t in d) for d in self.docs]

    def weight(self, token: str) -> float:
        return self.idf.get(token, self.unseen)

    def score(self, query: frozenset[str], doc: int) -> float:
        if not query:
            return 0.0
        d = self.docs[doc]
        wq = sum(self.weight(t) for t in query)
        wi = sum(self.weight(t) for t in query & d)
        wd = self.weights[doc]
        if wq <= 0 or wd <= 0:
            return 0.0
        dice = 2 * wi / (wq + wd)
        contain = wi / wq
        return min(1.0, 0.5 * dice + 0.5 * contain)

    def search(self, tokens: Iterable[str], limit: int = 30) -> list[tuple[int, float]]:
        """(document, score), best first, for documents sharing a distinctive token with the query."""
        query = frozenset(tokens)
        partial: dict[int, float] = defaultdict(float)
        usable = [t for t in query if t in self.postings and len(self.postings[t]) <= self.cap]
        if not usable:
            usable = [t for t in query if t in self.postings]
        for token in usable:
            w = self.idf[token]
            for doc in self.postings[token]:
                partial[doc] += w
        best = sorted(partial, key=lambda d: -partial[d])[: max(limit * 3, 30)]
        scored = [(d, self.score(query, d)) for d in best]
        scored.sort(key=lambda x: -x[1])
        return scored[:limit]


# --- the matcher --------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """One lead assignment of the scope (a task and the agency leading it)."""

    assignment_id: int
    task_id: int
    task_code: str
    task_text: str
    agency_id: int
    agency_name: str
    plan_code: str
    plan_first_year: int
    plan_last_year: int
    own_keys: frozenset[str]  # folded names of the leading agency (and the name as assigned)
    parent_keys: frozenset[str]  # folded names of the agency it belongs to (a Sở for its phòng)

    def plan_label(self) -> str:
        if self.plan_first_year == self.plan_last_year:
            return f"kế hoạch {self.plan_last_year}"
        return f"kế hoạch {self.plan_first_year}-{self.plan_last_year}"


@dataclass(frozen=True)
class Suggestion:
    """A task an officer may pick for a row: its code, a score in [0, 1] and why (Vietnamese)."""

    task: str
    score: float
    why: str
    text: str = ""
    lead: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"task": self.task, "score": self.score, "why": self.why}


@dataclass(slots=True)
class Match:
    """What the matcher says about one row."""

    candidate: Candidate | None
    outcome: str  # "matched", UNMATCHED or AMBIGUOUS
    by: str = ""  # BY_CODE / BY_TEXT / BY_PAIRING / BY_DECISION
    message: str = ""
    suggestions: Sequence[Suggestion] = ()


def _plan_years(name: str, year: int) -> tuple[int, int]:
    """The years a plan covers: "giai đoạn 2026-2030" in its name, else its year."""
    found = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", name or "")
    if found and int(found.group(2)) == year:
        return int(found.group(1)), year
    return year, year


_CHU_TRI = re.compile(r"\bchu tri\b")
_PHOI_HOP = re.compile(r"\bphoi hop\b")


def _lead_part(key: str) -> str:
    """The lead named in a folded lead cell: a plan's assignment sentence "Phòng X chủ trì, phối
    hợp các sở, …" names its lead before "chủ trì"; a cell naming only coordinators ("phối hợp
    với …") is no evidence of the lead (""). Any other cell is the lead as written."""
    found = _CHU_TRI.search(key)
    if found is not None and found.start() > 0:
        return key[: found.start()].strip()
    if _PHOI_HOP.search(key):
        return ""
    return key


def _short(text: str, limit: int = 80) -> str:
    text = nfc(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Matcher:
    """The lead assignments of the reporting agency's scope, indexed by code and folded text,
    with the agency's remembered pairings. Build one per dry run (`Matcher(conn, agency_id, period)`)."""

    def __init__(self, conn: Connection, agency_id: int, period: str) -> None:
        self.agency_id = agency_id
        self.period = period
        self.year = int(period[:4])
        names: dict[int, set[str]] = defaultdict(set)
        official: dict[int, str] = {}
        parent: dict[int, int | None] = {}
        for aid, name, short, parent_id in conn.execute(select(AG.c.id, AG.c.name, AG.c.short_name, AG.c.parent_id)):
            official[aid] = name
            parent[aid] = parent_id
            names[aid].update(k for k in (text_key(name), text_key(short)) if k)
        for aid, alias in conn.execute(select(AL.c.agency_id, AL.c.alias)):
            if text_key(alias):
                names[aid].add(text_key(alias))
        self.known_agencies: dict[str, int] = {}
        for aid, keys in names.items():
            for key in keys:
                self.known_agencies.setdefault(key, aid)
        self.scope = [agency_id, *(a for a, p in parent.items() if p == agency_id)]
        self.agency_name = official[agency_id]
        self.by_code: dict[str, list[Candidate]] = defaultdict(list)
        self._by_task: dict[int, list[Candidate]] | None = None
        own_sets: dict[tuple[int, str], frozenset[str]] = {}
        parent_sets: dict[int, frozenset[str]] = {}
        stmt = (
            select(A.c.id, A.c.agency_id, A.c.name_as_assigned, T.c.id.label("task_id"), T.c.code, T.c.text,
                   P.c.code.label("plan_code"), P.c.name.label("plan_name"), P.c.year)
            .select_from(A.join(T, T.c.id == A.c.task_id).join(P, P.c.id == T.c.plan_id))
            .where(A.c.role == m.ASSIGNMENT_LEAD, A.c.agency_id.in_(self.scope))
            .order_by(T.c.code, A.c.id)
        )
        plan_years: dict[str, tuple[int, int]] = {}
        for aid, agency, as_assigned, task_id, code, text, plan_code, plan_name, year in conn.execute(stmt).all():
            own = own_sets.get((agency, as_assigned or ""))
            if own is None:
                keys = set(names[agency])
                if as_assigned and text_key(as_assigned):
                    keys.add(text_key(as_assigned))
                own = own_sets[(agency, as_assigned or "")] = frozenset(keys)
            ups = parent_sets.get(agency)
            if ups is None:
                up = parent[agency]
                ups = parent_sets[agency] = frozenset(names[up]) if up is not None else frozenset()
            years = plan_years.get(plan_code)
            if years is None:
                years = plan_years[plan_code] = _plan_years(plan_name, int(year))
            cand = Candidate(aid, task_id, code, text, agency, official[agency], plan_code, years[0], years[1], own,
                             ups)
            self.by_code[code_key(code)].append(cand)
        self.pairings: dict[str, int] = {
            key: int(task) for key, task in conn.execute(
                select(TA.c.text_key, TA.c.task_id).where(TA.c.agency_id == agency_id))
        }
        self._by_text: dict[str, list[int]] | None = None
        self._index: TokenIndex | None = None
        self._index_tasks: list[int] = []
        self._positions: dict[int, int] = {}
        self._lead_keys: dict[str, str] = {}
        self._lead_texts: dict[str, str] = {}  # folded lead -> as written (for messages)
        self._anagrams: dict[str, list[str]] | None = None

    # --- indexes built on first use (a return that gives codes and exact texts never needs them)

    @property
    def by_task(self) -> dict[int, list[Candidate]]:
        """Candidates by task id."""
        if self._by_task is None:
            index: dict[int, list[Candidate]] = defaultdict(list)
            for cands in self.by_code.values():
                for cand in cands:
                    index[cand.task_id].append(cand)
            self._by_task = index
        return self._by_task

    @property
    def by_text(self) -> dict[str, list[int]]:
        """Task ids by the folded key of their own text."""
        if self._by_text is None:
            index: dict[str, list[int]] = defaultdict(list)
            for task_id, cands in self.by_task.items():
                index[text_key(cands[0].task_text)].append(task_id)
            self._by_text = index
        return self._by_text

    @property
    def index(self) -> TokenIndex:
        if self._index is None:
            self._index_tasks = sorted(self.by_task, key=lambda t: self.by_task[t][0].task_code)
            self._positions = {t: i for i, t in enumerate(self._index_tasks)}
            self._index = TokenIndex([fold_tokens(self.by_task[t][0].task_text) for t in self._index_tasks])
        return self._index

    def lead_key(self, lead: str | None) -> str:
        if not lead:
            return ""
        found = self._lead_keys.get(lead)
        if found is None:
            found = _lead_part(text_key(lead))
            self._lead_keys[lead] = found
            if found:
                self._lead_texts.setdefault(found, nfc(lead))
        return found

    # --- evidence

    def contains_period(self, cand: Candidate) -> bool:
        return cand.plan_first_year <= self.year <= cand.plan_last_year

    @staticmethod
    def lead_score(cand: Candidate, key: str) -> int:
        """3: the lead column names the leading agency; 2: a longer/shorter form of it; 1: the
        agency it belongs to (same scope); 0: no evidence it is this agency."""
        if not key:
            return 0
        if key in cand.own_keys:
            return 3
        if any(len(k) >= 6 and (k in key or key in k) for k in cand.own_keys):
            return 2
        if key in cand.parent_keys or any(len(k) >= 6 and k in key for k in cand.parent_keys):
            return 1
        return 0

    def lead_contradicts(self, cand: Candidate, key: str) -> bool:
        """The lead column names a known agency that is not the candidate's (nor its parent)."""
        return bool(key) and key in self.known_agencies and self.lead_score(cand, key) == 0

    def similarity(self, text: str | None, task_id: int) -> float:
        index = self.index
        pos = self._positions.get(task_id)
        return index.score(frozenset(fold_tokens(text)), pos) if pos is not None else 0.0

    def _text_tasks(self, text: str | None) -> tuple[list[int], bool]:
        """Tasks whose own folded text is the row's, else the task of a remembered pairing:
        (task ids, via pairing)."""
        key = text_key(text)
        if not key:
            return [], False
        own = self.by_text.get(key, [])
        if own:
            return list(own), False
        paired = self.pairings.get(key)
        return ([paired], True) if paired is not None and paired in self.by_task else ([], False)

    def _agrees(self, text: str, cand: Candidate) -> bool:
        """Is `text` the text of the candidate's task (code and text agree)?"""
        task_id = cand.task_id
        if text == cand.task_text or nfc(text) == nfc(cand.task_text):  # the template's rows: the text as is
            return True
        key = text_key(text)
        if key == text_key(cand.task_text) or self.pairings.get(key) == task_id:
            return True
        own = self.similarity(text, task_id)
        if own >= AGREE_SCORE:
            return True
        if own < AGREE_MIN:
            return False
        best = max((s for d, s in self.index.search(fold_tokens(text), 5)
                    if self._index_tasks[d] != task_id), default=0.0)
        return own >= best

    # --- matching

    def match(self, code: str | None, text: str | None, lead: str | None) -> Match:
        """Which assignment the row reports on, following the module's rule."""
        lead_k = self.lead_key(lead)
        if code:
            cands = self.by_code.get(code_key(code), [])
            if len(cands) == 1:  # the template's rows: one assignment, its own text (or none), its own lead
                cand = cands[0]
                if (not text or text == cand.task_text) and (not lead_k or lead_k in cand.own_keys):
                    return Match(cand, "matched", BY_CODE)
            if text and text.strip() and not (cands and self._agrees(text, cands[0])) and text_key(text):
                return self._disagreement(code, cands, text, lead_k)
            if not cands:
                return Match(None, UNMATCHED, BY_CODE,
                             f"mã nhiệm vụ {code} không thuộc các nhiệm vụ do {self.agency_name} (hoặc các đơn vị "
                             "thuộc) chủ trì", self.code_suggestions(code))
            return self._choose(cands, lead_k, BY_CODE, text, text_only=False)
        if not text_key(text):
            return Match(None, UNMATCHED, BY_TEXT, "dòng không ghi mã nhiệm vụ cũng không ghi nội dung nhiệm vụ")
        tasks, via_pairing = self._text_tasks(text)
        if not tasks:
            suggestions = self.suggest(text, lead_k)
            hint = "xem các gợi ý ở bước Đối chiếu" if suggestions else "hãy ghi mã nhiệm vụ"
            return Match(None, UNMATCHED, BY_TEXT,
                         f"không tìm thấy nhiệm vụ có nội dung này trong các nhiệm vụ do {self.agency_name} (hoặc các "
                         f"đơn vị thuộc) chủ trì; {hint}", suggestions)
        cands = [c for t in tasks for c in self.by_task[t]]
        return self._choose(cands, lead_k, BY_PAIRING if via_pairing else BY_TEXT, text, text_only=not via_pairing)

    def _best_by_lead(self, cands: list[Candidate], lead_k: str) -> list[Candidate]:
        """Of several candidates, those whose lead best matches the row's lead column (all when none does)."""
        if len(cands) < 2 or not lead_k:
            return cands
        scored = [(self.lead_score(c, lead_k), c) for c in cands]
        best = max(s for s, _ in scored)
        return [c for s, c in scored if s == best] if best > 0 else cands

    def _choose(self, cands: list[Candidate], lead_k: str, by: str, text: str | None, *, text_only: bool) -> Match:
        """One assignment among candidates that all carry the row's evidence: period, then lead column."""
        if len(cands) > 1 and len({c.task_id for c in cands}) > 1:
            in_period = [c for c in cands if self.contains_period(c)]
            if in_period:
                cands = in_period
        cands = self._best_by_lead(cands, lead_k)
        if len(cands) > 1:
            listed = ", ".join(sorted({f"{c.task_code} ({c.agency_name}, {c.plan_label()})" for c in cands}))
            if lead_k and all(self.lead_contradicts(c, lead_k) for c in cands):
                why = "cơ quan chủ trì ghi trong dòng không khớp với nhiệm vụ nào trong số đó"
            elif len({c.task_id for c in cands}) == 1:
                why = "hãy ghi rõ cơ quan chủ trì"
            else:
                why = "hãy ghi mã nhiệm vụ hoặc cơ quan chủ trì, hoặc chọn ở bước Đối chiếu"
            return Match(None, AMBIGUOUS, by, f"khớp với {len(cands)} nhiệm vụ: {listed}; {why}",
                         self.suggest(text, lead_k, among={c.task_id for c in cands}))
        cand = cands[0]
        if text_only and not self.contains_period(cand):
            return Match(None, AMBIGUOUS, by,
                         f"nội dung khớp nhiệm vụ {cand.task_code} nhưng nhiệm vụ này thuộc {cand.plan_label()}, "
                         f"không phải kỳ báo cáo {fmt_period(self.period)}; hãy xác nhận ở bước Đối chiếu",
                         self.suggest(text, lead_k, among={cand.task_id}))
        if self.lead_contradicts(cand, lead_k):
            return Match(None, AMBIGUOUS, by,
                         f"nhiệm vụ {cand.task_code} do {cand.agency_name} chủ trì nhưng dòng ghi cơ quan chủ trì là "
                         f"'{self._lead_name(lead_k)}'; hãy xác nhận ở bước Đối chiếu",
                         self.suggest(text, lead_k, among={cand.task_id}) if text_key(text)
                         else [self._suggestion(cand.task_id, 1.0, lead_k, extra="theo mã ghi trong dòng")])
        return Match(cand, "matched", by)

    def _lead_name(self, key: str) -> str:
        return self._lead_texts.get(key, key)

    def _disagreement(self, code: str, cands: list[Candidate], text: str, lead_k: str) -> Match:
        """Code and text point to different tasks (or the code to none): name both, write nothing."""
        tasks, _ = self._text_tasks(text)
        suggestions = self.suggest(text, lead_k)
        if not tasks and suggestions and suggestions[0].score >= AGREE_SCORE and (
                len(suggestions) < 2 or suggestions[1].score < suggestions[0].score - ACCEPT_MARGIN):
            tasks = [self.by_code[code_key(suggestions[0].task)][0].task_id]
        text_codes = ", ".join(sorted({self.by_task[t][0].task_code for t in tasks}))
        if not cands:
            head = (f"mã nhiệm vụ {code} không thuộc các nhiệm vụ do {self.agency_name} (hoặc các đơn vị thuộc) "
                    "chủ trì")
            if not tasks:
                return Match(None, UNMATCHED, BY_CODE, f"{head}; nội dung cũng không khớp nhiệm vụ nào", suggestions)
            return Match(None, AMBIGUOUS, BY_CODE,
                         f"{head}, còn nội dung ghi trong dòng là của nhiệm vụ {text_codes}; không ghi dòng này cho "
                         "đến khi xác nhận", suggestions)
        own = cands[0]
        if tasks:
            tail = f"nội dung ghi trong dòng là của nhiệm vụ {text_codes}"
        else:
            tail = "nội dung ghi trong dòng không khớp nhiệm vụ nào"
        message = (f"mã {own.task_code} là nhiệm vụ «{_short(own.task_text)}» nhưng {tail}; mã và nội dung không "
                   "thống nhất nên không ghi dòng này cho đến khi xác nhận")
        if all(s.task != own.task_code for s in suggestions):
            extra = self._suggestion(own.task_id, self.similarity(text, own.task_id), lead_k,
                                     extra=f"theo mã {own.task_code} ghi trong dòng")
            suggestions = [*suggestions[: MAX_SUGGESTIONS - 1], extra]
        return Match(None, AMBIGUOUS, BY_CODE, message, suggestions)

    def confirm(self, task_code: str, lead: str | None) -> Match:
        """The officer's decision that the row reports on task `task_code`."""
        cands = self.by_code.get(code_key(task_code), [])
        if not cands:
            return Match(None, UNMATCHED, BY_DECISION,
                         f"nhiệm vụ {task_code} được chọn không thuộc các nhiệm vụ do {self.agency_name} (hoặc các "
                         "đơn vị thuộc) chủ trì")
        lead_k = self.lead_key(lead)
        cands = self._best_by_lead(cands, lead_k)
        if len(cands) > 1:
            own = [c for c in cands if c.agency_id == self.agency_id]
            if len(own) == 1:
                cands = own
        if len(cands) > 1:
            names = ", ".join(sorted(c.agency_name for c in cands))
            return Match(None, AMBIGUOUS, BY_DECISION,
                         f"nhiệm vụ {task_code} có {len(cands)} cơ quan chủ trì ({names}); hãy ghi rõ cơ quan chủ trì "
                         "trong dòng")
        return Match(cands[0], "matched", BY_DECISION)

    # --- suggestions

    def _suggestion(self, task_id: int, similarity: float, lead_k: str, extra: str = "") -> Suggestion:
        cands = self.by_task[task_id]
        first = cands[0]
        score = similarity
        parts = [extra] if extra else []
        parts.append(f"trùng {round(similarity * 100)}% nội dung")
        if lead_k:
            if any(self.lead_score(c, lead_k) > 0 for c in cands):
                parts.append("cùng cơ quan chủ trì")
            elif all(self.lead_contradicts(c, lead_k) for c in cands):
                parts.append(f"cơ quan chủ trì khác ({first.agency_name})")
                score *= LEAD_FACTOR
        else:
            parts.append(f"{first.agency_name} chủ trì")
        if self.contains_period(first):
            parts.append(first.plan_label())
        else:
            parts.append(f"{first.plan_label()}, khác kỳ báo cáo")
            score *= PERIOD_FACTOR
        return Suggestion(first.task_code, round(max(0.0, min(1.0, score)), 2), "; ".join(parts),
                          _short(first.task_text, 200), first.agency_name)

    def suggest(self, text: str | None, lead_k: str = "", among: set[int] | None = None) -> list[Suggestion]:
        """Up to three tasks of the scope for the row, best first (`among`: only those tasks)."""
        tokens = fold_tokens(text)
        if not tokens:
            if among:
                return [self._suggestion(t, 0.0, lead_k) for t in sorted(among)][:MAX_SUGGESTIONS]
            return []
        if among:
            found = [(t, self.similarity(text, t)) for t in among]
        else:
            found = [(self._index_tasks[d], s) for d, s in self.index.search(tokens, 12) if s > 0.2]
        out = [self._suggestion(t, s, lead_k) for t, s in found]
        out.sort(key=lambda s: (-s.score, s.task))
        return out[:MAX_SUGGESTIONS]

    def code_suggestions(self, code: str) -> list[Suggestion]:
        """Tasks whose code has the same characters in another order (swapped digits)."""
        if self._anagrams is None:
            anagrams: dict[str, list[str]] = defaultdict(list)
            for key in self.by_code:
                anagrams["".join(sorted(key))].append(key)
            self._anagrams = anagrams
        key = code_key(code)
        near = [k for k in self._anagrams.get("".join(sorted(key)), []) if k != key]
        out = []
        for k in sorted(near)[:MAX_SUGGESTIONS]:
            cand = self.by_code[k][0]
            out.append(Suggestion(cand.task_code, 0.5, f"mã gần giống {code} (đảo chữ số); {cand.agency_name} chủ trì; "
                                  f"{cand.plan_label()}", _short(cand.task_text, 200), cand.agency_name))
        return out

    def own_text_keys(self) -> set[str]:
        return set(self.by_text)


def scope_tasks(engine: Engine, agency_id: int) -> list[tuple[str, str]]:
    """(code, text) of every task the agency or its divisions lead, by code: what an officer may
    pick for a row of its return."""
    scope_ids = select(AG.c.id).where((AG.c.id == agency_id) | (AG.c.parent_id == agency_id))
    stmt = (select(T.c.code, T.c.text).select_from(T.join(A, A.c.task_id == T.c.id))
            .where(A.c.role == m.ASSIGNMENT_LEAD, A.c.agency_id.in_(scope_ids)).distinct().order_by(T.c.code))
    with engine.connect() as conn:
        return [(str(c), str(t)) for c, t in conn.execute(stmt)]


# --- decisions ----------------------------------------------------------------------------

Decisions = Mapping[tuple[str, int], str | None]


def accept_above(rows: Iterable[Any], threshold: float) -> dict[tuple[str, int], str | None]:
    """Decisions taking, for every unmatched or ambiguous row (objects with sheet, row, outcome,
    suggestions), its top suggestion when the score is >= `threshold` and clearly ahead of the
    next one (by `ACCEPT_MARGIN`): two equally good tasks are never picked by a threshold."""
    out: dict[tuple[str, int], str | None] = {}
    for r in rows:
        if r.outcome not in (UNMATCHED, AMBIGUOUS) or not r.suggestions:
            continue
        top = r.suggestions[0]
        runner = r.suggestions[1].score if len(r.suggestions) > 1 else -1.0
        if top.score >= threshold and top.score - runner >= ACCEPT_MARGIN:
            out[(r.sheet, r.row)] = top.task
    return out


def read_decisions(document: Any) -> tuple[dict[tuple[str, int], str | None], float | None]:
    """The decisions file (`--resolve`): `{"decisions": [{"sheet": ..., "row": 12, "task": "X" | null}],
    "accept_above": 0.9}` -> (decisions, accept_above). ValueError (Vietnamese) when malformed."""
    if not isinstance(document, dict):
        raise ValueError("Tệp lựa chọn phải là một đối tượng JSON có khóa \"decisions\".")
    items = document.get("decisions", [])
    if not isinstance(items, list):
        raise ValueError("\"decisions\" phải là một danh sách.")
    out: dict[tuple[str, int], str | None] = {}
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("sheet"), str) or \
                not isinstance(item.get("row"), int) or isinstance(item.get("row"), bool) or \
                not (item.get("task") is None or isinstance(item.get("task"), str)) or "task" not in item:
            raise ValueError(f"Lựa chọn thứ {i} phải có dạng {{\"sheet\": \"...\", \"row\": 12, \"task\": \"MÃ\" "
                             "hoặc null}.")
        out[(item["sheet"], int(item["row"]))] = item["task"]
    threshold = document.get("accept_above")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
            raise ValueError("\"accept_above\" phải là một số từ 0 đến 1.")
        threshold = float(threshold)
    return out, threshold


# --- remembered pairings ------------------------------------------------------------------


def remember(conn: Connection, agency_id: int, pairs: Iterable[tuple[str, int]], username: str,
             upload_id: int | None, now: dt.datetime) -> int:
    """Remember confirmed (row text, assignment id) pairs for `agency_id`, inside the caller's
    transaction; returns how many were added or changed. A wording that is some task's own text
    in the scope is not remembered (the period and lead rules decide those each time)."""
    pairs = [(t, a) for t, a in pairs if text_key(t)]
    if not pairs:
        return 0
    scope = [agency_id, *conn.execute(select(AG.c.id).where(AG.c.parent_id == agency_id)).scalars()]
    own = {text_key(t) for t in conn.execute(
        select(T.c.text).select_from(T.join(A, A.c.task_id == T.c.id))
        .where(A.c.role == m.ASSIGNMENT_LEAD, A.c.agency_id.in_(scope))).scalars()}
    task_of = dict(conn.execute(select(A.c.id, A.c.task_id).where(A.c.id.in_([a for _, a in pairs]))).all())
    existing = {key: (int(i), int(t)) for key, i, t in conn.execute(
        select(TA.c.text_key, TA.c.id, TA.c.task_id).where(TA.c.agency_id == agency_id))}
    done: dict[str, int] = {}
    for text, assignment in pairs:
        key = text_key(text)
        task = task_of.get(assignment)
        if key in own or task is None or key in done:
            continue
        if existing.get(key, (0, 0))[1] == int(task):
            continue  # already remembered (applying the same plan again changes nothing)
        done[key] = int(task)
        values = {"task_id": int(task), "text": nfc(text)[:2000], "created_by": username, "created_at": now,
                  "upload_id": upload_id}
        if key in existing:
            conn.execute(update(TA).where(TA.c.id == existing[key][0]).values(**values))
        else:
            conn.execute(insert(TA).values(agency_id=agency_id, text_key=key, **values))
    return len(done)


def pairings(engine: Engine, agency_id: int | None = None) -> pd.DataFrame:
    """Remembered pairings, newest first: id, agency, task, task_text, text, created_by,
    created_at (Vietnam time), upload_id."""
    stmt = (
        select(TA.c.id, AG.c.name.label("agency"), T.c.code.label("task"), T.c.text.label("task_text"), TA.c.text,
               TA.c.created_by, TA.c.created_at, TA.c.upload_id)
        .select_from(TA.join(AG, AG.c.id == TA.c.agency_id).join(T, T.c.id == TA.c.task_id))
        .order_by(TA.c.id.desc())
    )
    if agency_id is not None:
        stmt = stmt.where(TA.c.agency_id == agency_id)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    columns = ["id", "agency", "task", "task_text", "text", "created_by", "created_at", "upload_id"]
    records = [{**dict(r), "created_at": _vn_time(r["created_at"])} for r in rows]
    return pd.DataFrame(records, columns=columns)


_VN = dt.timezone(dt.timedelta(hours=7), "ICT")


def _vn_time(value: Any) -> dt.datetime:
    """A stored UTC timestamp (naive on SQLite, sometimes text) in Vietnam time."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else cast(dt.datetime, value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(_VN)


def remove_pairing(engine: Engine, actor: Actor | None, pairing_id: int) -> None:
    """Forget one remembered pairing (administrators only; audited)."""
    require(actor, "manage_agencies")
    assert actor is not None
    with Session(engine) as session:
        conn = session.connection()
        row = conn.execute(
            select(TA.c.text, AG.c.name, T.c.code)
            .select_from(TA.join(AG, AG.c.id == TA.c.agency_id).join(T, T.c.id == TA.c.task_id))
            .where(TA.c.id == pairing_id)).first()
        if row is None:
            raise ValueError("Không tìm thấy cặp nội dung – nhiệm vụ này (có thể đã được xóa).")
        conn.execute(delete(TA).where(TA.c.id == pairing_id))
        record_audit(session, actor, "xoa_cap_noi_dung",
                     f"{row.name}: «{_short(row.text)}» → {row.code}")
        bump_data_version(session)
        session.commit()


__all__ = [
    "ABBREVIATIONS", "AMBIGUOUS", "BY_CODE", "BY_DECISION", "BY_PAIRING", "BY_TEXT", "UNMATCHED", "Candidate",
    "Decisions", "Match", "Matcher", "Suggestion", "TokenIndex", "accept_above", "code_key", "fold_tokens",
    "pairings", "read_decisions", "remember", "remove_pairing", "scope_tasks", "text_key",
]
