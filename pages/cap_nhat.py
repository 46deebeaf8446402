"""Cập nhật số liệu: template download, upload with a dry run, confirmation, outcome."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import PurePath

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from data_access import importer as imp
from data_access.clock import today_vn
from data_access.matching import scope_tasks
from data_access.periods import period_bounds, period_of, previous_quarter
from data_access.permissions import PermissionDenied, can
from data_access.settings import get_settings
from data_access.status_text import STATE_LABELS, state_text
from data_access.templates import build_template
from data_access.vn import fmt_date, fmt_decimal, fmt_number, fmt_period, search_key
from data_access.xlsx_safety import FileRefused
from ui.data import engine, invalidate
from ui.signin import guard
from ui.text import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

actor = guard("upload")
settings = get_settings()
eng = engine()

st.title("Cập nhật số liệu")
st.caption("Tải biểu mẫu, điền số liệu, tải tệp lên, xem trước kết quả kiểm tra rồi xác nhận cập nhật. "
           "Mọi lần tải lên đều được lưu và có thể hoàn tác ở trang Lịch sử tải lên.")

agencies = imp.reporting_agencies(eng)
agency_names: dict[int, str] = {int(i): str(n) for i, n in zip(agencies["id"], agencies["name"], strict=True)}
today = today_vn()
current_quarter = period_of(today)
periods = [current_quarter]
while len(periods) < 12:
    periods.append(previous_quarter(periods[-1]))
default_period = previous_quarter(current_quarter)  # returns are sent after the quarter ends
home = next((i for i, n in agency_names.items() if n == "Sở Nội vụ"), next(iter(agency_names), None))


def _slug(text: str) -> str:
    return "-".join(search_key(text).replace("/", " ").split())


# --- 1. template ------------------------------------------------------------------------

with st.expander("1. Tải biểu mẫu báo cáo quý", expanded=False):
    st.caption("Biểu mẫu liệt kê các nhiệm vụ chưa hoàn thành mà cơ quan (và các đơn vị thuộc) chủ trì, có sẵn mã "
               "nhiệm vụ, danh sách chọn tình trạng và trang Chỉ tiêu.")
    c1, c2 = st.columns(2)
    ids = list(agency_names)
    t_agency = c1.selectbox("Cơ quan báo cáo", ids, format_func=lambda i: agency_names.get(i, str(i)),
                            index=ids.index(home) if home in ids else 0, key="mau_co_quan")
    t_period = c2.selectbox("Kỳ báo cáo", periods, index=periods.index(default_period), format_func=fmt_period,
                            key="mau_ky")
    if t_agency is not None and can(actor.role, "download_template"):
        st.download_button(
            "Tải biểu mẫu (.xlsx)",
            data=lambda: build_template(eng, int(t_agency), str(t_period)),
            file_name=f"bieu-mau-{_slug(agency_names[int(t_agency)])}-{str(t_period).lower()}.xlsx",
            mime=XLSX, key="tai_bieu_mau", on_click="ignore", icon=":material/description:",
        )

# --- 2. upload and dry run -----------------------------------------------------------------

st.subheader("2. Tải lên báo cáo")
# Streamlit's uploader has no way to translate its own button and hint ("Upload", "50MB per file …",
# which also shows Streamlit's ceiling, not our limit): replace both texts in this page's uploader.
st.markdown(
    f"""<style>
    [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{font-size: 0;}}
    [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
        content: "Chọn tệp"; font-size: 0.875rem;}}
    [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
    [data-testid="stFileUploaderDropzoneInstructions"] span::after {{
        content: "Kéo thả tệp vào đây · .xlsx, tối đa {settings.upload_max_mb} MB"; font-size: 0.875rem;}}
    </style>""",
    unsafe_allow_html=True,
)
uploaded = st.file_uploader(
    # Other spreadsheet types are let through on purpose: the importer refuses them with a Vietnamese
    # explanation (e.g. "lưu lại dạng .xlsx"), where the uploader's own filter answers in English.
    "Chọn tệp báo cáo (.xlsx)", type=["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"], key="tep_bao_cao",
    help=(f"Chỉ nhận tệp .xlsx, tối đa {settings.upload_max_mb} MB, {fmt_number(settings.upload_max_rows)} dòng, "
          f"mỗi ô tối đa {fmt_number(settings.upload_max_cell_chars)} ký tự."),
)
if uploaded is None:
    st.info("Chọn tệp báo cáo quý để kiểm tra. Chưa có gì được ghi cho đến khi bấm **Xác nhận cập nhật**.", icon=":material/upload_file:")
    st.stop()

data = uploaded.getvalue()
sha = hashlib.sha256(data).hexdigest()
file_name = PurePath(uploaded.name).name
progress = st.progress(0, text="Bước 1/3: đang đọc tệp…")
cached = st.session_state.get("_cap_nhat_doc")
if isinstance(cached, tuple) and cached[0] == sha:
    parsed = cached[1]
else:
    try:
        parsed = imp.read_file(data, settings)
    except FileRefused as exc:
        progress.empty()
        st.error(f"**Tệp bị từ chối, không có gì được ghi.** {plain(exc.message)}", icon=":material/block:")
        st.stop()
    st.session_state["_cap_nhat_doc"] = (sha, parsed)

progress.progress(33, text="Bước 2/3: đang kiểm tra, đối chiếu với kho dữ liệu…")
meta_agency, meta_period, meta_notes = imp.resolve_meta(eng, parsed.meta)
options = list(agency_names)
# Names from before the 2025 reorganisation stay selectable ("Tên cũ → tên mới"); the import
# is recorded for the successor and the preview says so.
former = imp.former_agencies(eng)
for old_id, old_name, successor in zip(former["id"], former["name"], former["successor"], strict=True):
    agency_names[int(old_id)] = f"{old_name} → {successor}"
    options.append(int(old_id))
if meta_agency is not None and meta_agency not in agency_names:
    agency_names[meta_agency] = imp.agency_name(eng, meta_agency)
    options.append(meta_agency)
period_options = list(periods)
if meta_period is not None and meta_period not in period_options:
    period_options.append(meta_period)
c1, c2 = st.columns(2)
sel_agency = c1.selectbox(
    "Cơ quan báo cáo", options, index=options.index(meta_agency) if meta_agency in options else None,
    format_func=lambda i: agency_names.get(i, str(i)), placeholder="Chọn cơ quan báo cáo…", key=f"cq_{sha[:12]}",
    help="Lấy theo tệp (trang _meta hoặc dòng 'Cơ quan báo cáo: …'); chọn khi tệp không ghi.",
)
sel_period = c2.selectbox(
    "Kỳ báo cáo", period_options, index=period_options.index(meta_period) if meta_period in period_options else None,
    format_func=fmt_period, placeholder="Chọn quý báo cáo…", key=f"ky_{sha[:12]}",
    help="Lấy theo tệp (trang _meta hoặc tiêu đề '… QUÝ III/2026'); chọn khi tệp không ghi.",
)
for note in [*meta_notes, *parsed.notes]:
    st.warning(plain(note), icon=":material/warning:")
if sel_agency is None or sel_period is None:
    progress.empty()
    st.warning("Tệp không ghi rõ cơ quan hoặc kỳ báo cáo: hãy chọn ở trên để tiếp tục kiểm tra.", icon=":material/edit:")
    st.stop()

# The officer's reconciliation choices for this file, agency and period: (sheet, row) -> task code or None.
decisions_key = f"_doi_chieu_{sha[:12]}_{sel_agency}_{sel_period}"
decisions: dict[tuple[str, int], str | None] = st.session_state.setdefault(decisions_key, {})
try:
    # The rows to reconcile and their suggestions come from the plan without decisions, so a
    # confirmed row stays listed (and can be changed); the plan with decisions is what gets applied.
    base = imp.preview(eng, data, file_name, agency_id=int(sel_agency), period=str(sel_period),
                       settings=settings, parsed=parsed)
    plan = base if not decisions else imp.preview(eng, data, file_name, agency_id=int(sel_agency),
                                                  period=str(sel_period), decisions=decisions, settings=settings,
                                                  parsed=parsed)
except FileRefused as exc:
    progress.empty()
    st.error(f"**Không thể cập nhật tệp này, không có gì được ghi.** {plain(exc.message)}", icon=":material/block:")
    st.stop()
except ValueError as exc:
    progress.empty()
    st.error(plain(exc), icon=":material/block:")
    st.stop()

outcome = st.session_state.get("ket_qua_cap_nhat")
# This very upload (same bytes, same pick in the uploader) was just applied: the outcome is the page's answer. A
# re-check of the applied file against the updated store ("Sẽ ghi 0 dòng") with a live confirm button would
# contradict it, so nothing of steps 2-3 is drawn; choosing a file again starts a new check.
upload_identity = [sha, str(getattr(uploaded, "file_id", "") or ""), file_name]
applied_here = isinstance(outcome, dict) and outcome.get("upload") == upload_identity
if applied_here and isinstance(outcome, dict):  # the repeat narrows the type for mypy
    progress.progress(100, text="Đã cập nhật vào kho dữ liệu.")
    st.success(f"**Đã cập nhật {plain(plan.agency_name)}, {fmt_period(plan.period)}.** {plain(outcome['message'])}", icon=":material/check_circle:")
    if outcome.get("upload_id"):
        st.caption(f"Lần tải lên số {outcome['upload_id']}; có thể hoàn tác ở trang Lịch sử tải lên.")
    st.info("Để cập nhật báo cáo khác, chọn tệp ở ô phía trên; số liệu mới đã hiện trên các trang theo dõi.",
            icon=":material/upload_file:")
    st.stop()
progress.progress(66, text="Bước 3/3: đã kiểm tra xong, chờ xác nhận cập nhật.")

st.markdown(f"**{plain(file_name)}** · {plain(plan.agency_name)} · {fmt_period(plan.period)} · đã đọc "
            f"{fmt_number(plan.rows_read)} dòng")
counts = plan.counts
SHOWN = (imp.NEW, imp.CHANGED, imp.UNCHANGED, imp.REJECTED, imp.UNMATCHED, imp.AMBIGUOUS)
cols = st.columns(len(SHOWN))
for col, key in zip(cols, SHOWN, strict=True):
    col.metric(imp.OUTCOME_LABELS[key], fmt_number(counts[key]))
if counts[imp.SKIPPED]:
    st.caption(f"{fmt_number(counts[imp.SKIPPED])} dòng được bỏ qua (để trống, hoặc chuyên viên chọn bỏ qua).")
for note in plan.notes:
    if note not in meta_notes:  # those were shown above the pickers
        st.info(plain(note), icon=":material/info:")
if plan.skipped:
    st.caption(plain(imp.skipped_summary(plan.skipped)))
    with st.expander(f"Các phần được bỏ qua ({fmt_number(len(plan.skipped))})"):
        st.dataframe(pd.DataFrame([{"Trang": p.sheet, "Dòng": str(p.row) if p.row else "–", "Lý do": p.message}
                                   for p in plan.skipped]), hide_index=True, width="stretch")


def _state(state: str | None, progress_pct: float | None, completed_on: dt.date | None) -> str:
    return "–" if state is None else state_text(state, progress_pct, completed_on)


def _task_table(rows: list[imp.PlannedRow], with_previous: bool = False) -> pd.DataFrame:
    with_text = any(r.status_text and r.status_text != STATE_LABELS.get(r.state or "") for r in rows)
    records = []
    for r in rows:
        rec = {"Trang": r.sheet, "Dòng": str(r.row), "Mã nhiệm vụ": r.code or "–", "Nhiệm vụ": r.task_text or "–",
               "Cơ quan chủ trì": r.lead_name or r.lead_text or "–"}
        if with_previous:
            prev = r.previous or {}
            before = _state(prev.get("state"), prev.get("progress_pct"), prev.get("completed_on"))
            rec["Trước"] = before + (" (số liệu mẫu)" if prev.get("is_sample") else "")
            rec["Sau"] = _state(r.state, r.progress_pct, r.completed_on)
        else:
            rec["Tình trạng"] = _state(r.state, r.progress_pct, r.completed_on)
        if with_text:
            # The status as the agency wrote it, beside the state it was read as.
            rec["Nội dung báo cáo"] = r.status_text or ""
        rec["Văn bản/sản phẩm"] = r.output_document or ""
        rec["Khó khăn, vướng mắc"] = r.difficulties or ""
        records.append(rec)
    return pd.DataFrame(records)


def _indicator_table(items: list[imp.PlannedIndicator]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Trang": i.sheet, "Dòng": str(i.row), "Mã chỉ tiêu": i.code or "–", "Tên chỉ tiêu": i.name or "–",
        "Kỳ": fmt_period(i.period or plan.period), "Giá trị trước": fmt_decimal(i.previous, 4),
        "Giá trị": fmt_decimal(i.value, 4),
    } for i in items])


def _labelled(labels: dict[str, str]) -> Callable[[str], str]:
    """A widget's format_func showing `labels[option]` (the option itself when unlabelled)."""
    return lambda option: labels.get(option, option)


def _show(df: pd.DataFrame, empty: str) -> None:
    if df.empty:
        st.caption(empty)
    else:
        st.dataframe(df, hide_index=True, width="stretch")


labels = [f"{imp.OUTCOME_LABELS[k]} ({counts[k]})" for k in SHOWN]
t_new, t_changed, t_same, t_bad, t_unmatched, t_ambiguous = st.tabs(labels)
by = {k: [r for r in plan.rows if r.outcome == k] for k in imp.OUTCOMES}
ind = {k: [i for i in plan.indicators if i.outcome == k] for k in imp.OUTCOMES}


def _outcome_tab(outcome: str, empty: str, with_previous: bool = False) -> None:
    """The tasks, then the indicators, of one outcome (new, changed, unchanged)."""
    _show(_task_table(by[outcome], with_previous=with_previous), empty)
    if ind[outcome]:
        st.markdown("**Chỉ tiêu**")
        _show(_indicator_table(ind[outcome]), "")


with t_new:
    _outcome_tab(imp.NEW, "Không có nhiệm vụ nào báo cáo lần đầu trong kỳ này.")
with t_changed:
    _outcome_tab(imp.CHANGED, "Không có nhiệm vụ nào thay đổi so với số liệu đang có.", with_previous=True)
with t_same:
    _outcome_tab(imp.UNCHANGED, "Không có dòng nào trùng với số liệu đang có.")
with t_bad:
    bad = {(r.sheet, r.row) for r in by[imp.REJECTED]} | {(i.sheet, i.row) for i in ind[imp.REJECTED]}
    errors = pd.DataFrame([
        {"Trang": e.sheet, "Dòng": str(e.row) if e.row else "–", "Cột": e.column or "–", "Giá trị": e.value or "",
         "Lỗi": e.message}
        for e in plan.errors if (e.sheet, e.row) in bad
    ])
    _show(errors, "Không có dòng nào bị lỗi.")
    if not errors.empty:
        st.caption("Các dòng lỗi không được ghi; sửa trong tệp rồi tải lên lại (các dòng đúng sẽ là 'Không đổi').")
with t_unmatched:
    unmatched = pd.DataFrame([
        {"Trang": r.sheet, "Dòng": str(r.row), "Mã/nội dung": r.code or r.task_text or "–",
         "Cơ quan chủ trì (theo tệp)": r.lead_text or "–", "Lý do": "; ".join(r.messages)}
        for r in by[imp.UNMATCHED]
    ] + [
        {"Trang": i.sheet, "Dòng": str(i.row), "Mã/nội dung": i.code or i.name or "–",
         "Cơ quan chủ trì (theo tệp)": "–", "Lý do": "; ".join(i.messages)}
        for i in ind[imp.UNMATCHED]
    ])
    _show(unmatched, "Mọi dòng đều khớp với một nhiệm vụ hoặc chỉ tiêu.")
    if not unmatched.empty:
        st.caption("Hệ thống không đoán: chọn nhiệm vụ cho các dòng này ở mục **Đối chiếu** bên dưới (hoặc ghi mã "
                   "nhiệm vụ trong tệp rồi tải lên lại).")
with t_ambiguous:
    ambiguous = pd.DataFrame([
        {"Trang": r.sheet, "Dòng": str(r.row), "Mã/nội dung": r.text_as_written or r.code or "–",
         "Cơ quan chủ trì (theo tệp)": r.lead_text or "–", "Lý do": "; ".join(r.messages)}
        for r in by[imp.AMBIGUOUS]
    ])
    _show(ambiguous, "Không có dòng nào cần xác nhận.")
    if not ambiguous.empty:
        st.caption("Bằng chứng trong dòng không thống nhất (mã và nội dung khác nhau, nội dung có ở nhiều kế hoạch, "
                   "cơ quan chủ trì hoặc năm kế hoạch không khớp, một nhiệm vụ ghi ở nhiều dòng): không ghi cho đến khi "
                   "chọn ở mục **Đối chiếu**.")

if plan.errors:
    st.download_button(
        "Tải bản đánh dấu lỗi (.xlsx)", data=lambda: imp.annotated_copy(data, plan),
        file_name=f"{_slug(PurePath(file_name).stem) or 'bao-cao'}-danh-dau-loi.xlsx", mime=XLSX,
        key="tai_ban_danh_dau", on_click="ignore", icon=":material/ink_highlighter:",
        help="Tệp đã tải lên, tô màu các ô có lỗi, kèm ghi chú và trang 'Kết quả kiểm tra'.",
    )

# --- reconciliation ------------------------------------------------------------------------

to_reconcile = [r for r in base.rows if r.outcome in (imp.UNMATCHED, imp.AMBIGUOUS) or (r.sheet, r.row) in decisions]
if to_reconcile and not applied_here:
    st.subheader("Đối chiếu")
    st.caption("Chọn nhiệm vụ cho từng dòng chưa khớp hoặc cần xác nhận (gợi ý xếp theo mức độ giống nhau của nội "
               "dung, kèm điểm và lý do), chọn một nhiệm vụ khác của cơ quan, hoặc bỏ qua dòng. Chưa có gì được ghi "
               "cho đến khi bấm **Xác nhận cập nhật**; cặp nội dung – nhiệm vụ đã xác nhận được ghi nhớ cho các kỳ sau.")
    tasks = dict(scope_tasks(eng, plan.agency_id))
    task_codes = list(tasks)
    after = {(r.sheet, r.row): r for r in plan.rows}
    PENDING, OTHER, SKIP = "__chua_chon__", "__khac__", "__bo_qua__"
    shown_rows = to_reconcile[:200]
    if st.session_state.pop(f"_dc_dong_bo_{sha[:12]}", False):
        # After "accept all above X" the choices come from the decisions: show them in the widgets
        # (set before the widgets exist in this run, which Streamlit allows).
        for r in shown_rows:
            decided = decisions.get((r.sheet, r.row), PENDING) if (r.sheet, r.row) in decisions else PENDING
            suggested = {s.task for s in r.suggestions}
            radio_key, other_key = f"dc_{sha[:12]}_{r.sheet}_{r.row}", f"dck_{sha[:12]}_{r.sheet}_{r.row}"
            if decided is None:
                st.session_state[radio_key] = SKIP
            elif decided == PENDING or decided in suggested:
                st.session_state[radio_key] = decided
            else:
                st.session_state[radio_key] = OTHER
                st.session_state[other_key] = decided
    with st.form(f"doi_chieu_{sha[:12]}"):
        for r in shown_rows:
            where = (r.sheet, r.row)
            own = r.text_as_written or (f"Mã {r.code}" if r.code else "(không ghi nội dung)")
            st.markdown(f"**Trang {plain(r.sheet)}, dòng {r.row}** · {imp.OUTCOME_LABELS[r.outcome]} · "
                        f"{_state(r.state, r.progress_pct, r.completed_on)}")
            st.markdown(f"> {plain(own)}" + (f"  \n> *Cơ quan chủ trì ghi trong tệp: {plain(r.lead_text)}*"
                                               if r.lead_text else ""))
            if r.messages:
                st.caption(plain("; ".join(r.messages)))
            choices = [s.task for s in r.suggestions] + [OTHER, SKIP, PENDING]
            labels_by = {s.task: f"{s.task} · điểm {fmt_decimal(s.score)} · {plain(s.why)} — «{plain(s.text)}»"
                         for s in r.suggestions}
            labels_by.update({OTHER: "Nhiệm vụ khác của cơ quan (chọn ở ô bên dưới)", SKIP: "Bỏ qua dòng này",
                              PENDING: "Chưa quyết định (dòng này không được ghi)"})
            chosen = decisions.get(where, PENDING) if where in decisions else PENDING
            if chosen is None:
                chosen = SKIP
            elif chosen not in choices:
                chosen = OTHER
            c1, c2 = st.columns([3, 2])
            radio_key, other_key = f"dc_{sha[:12]}_{r.sheet}_{r.row}", f"dck_{sha[:12]}_{r.sheet}_{r.row}"
            if radio_key not in st.session_state:  # a default only for a new widget (never beside Session State)
                st.session_state[radio_key] = chosen
            c1.radio("Nhiệm vụ của dòng này", choices, format_func=_labelled(labels_by), key=radio_key)
            current_other = decisions.get(where)
            if other_key not in st.session_state:
                st.session_state[other_key] = current_other if chosen == OTHER else None
            c2.selectbox("Nhiệm vụ khác của cơ quan", task_codes,
                         format_func=lambda c: f"{c} – {tasks.get(c, '')[:90]}", placeholder="Chọn nhiệm vụ…",
                         key=other_key)
            now_row = after.get(where)
            if now_row is not None and where in decisions:
                st.caption(f"Sau khi chọn: {imp.OUTCOME_LABELS[now_row.outcome]}"
                           + (f" – {'; '.join(now_row.messages)}" if now_row.messages else ""))
            st.divider()
        if len(to_reconcile) > len(shown_rows):
            st.caption(f"Còn {fmt_number(len(to_reconcile) - len(shown_rows))} dòng khác: dùng nút chấp nhận theo "
                       "điểm, hoặc sửa tệp rồi tải lên lại.")
        threshold = st.number_input("Chấp nhận mọi gợi ý có điểm từ", min_value=0.5, max_value=1.0, value=0.9,
                                    step=0.05, format="%.2f", key=f"nguong_{sha[:12]}",
                                    help="Chỉ nhận gợi ý đứng đầu khi nó rõ ràng hơn gợi ý thứ hai; các dòng đã chọn "
                                         "ở trên giữ nguyên lựa chọn.")
        b1, b2 = st.columns(2)
        confirm_rows = b1.form_submit_button("Xác nhận lựa chọn", type="primary", key=f"dc_xac_nhan_{sha[:12]}")
        accept_all = b2.form_submit_button(f"Chấp nhận mọi gợi ý có điểm từ {fmt_decimal(threshold)} trở lên",
                                           key=f"dc_chap_nhan_{sha[:12]}")
    if confirm_rows or accept_all:
        chosen_now: dict[tuple[str, int], str | None] = {}
        for r in shown_rows:
            pick = st.session_state.get(f"dc_{sha[:12]}_{r.sheet}_{r.row}")
            if pick == SKIP:
                chosen_now[(r.sheet, r.row)] = None
            elif pick == OTHER:
                other = st.session_state.get(f"dck_{sha[:12]}_{r.sheet}_{r.row}")
                if other:
                    chosen_now[(r.sheet, r.row)] = str(other)
            elif pick and pick != PENDING:
                chosen_now[(r.sheet, r.row)] = str(pick)
        if accept_all:
            chosen_now = {**imp.suggested_decisions(base, float(threshold)), **chosen_now}
        st.session_state[decisions_key] = chosen_now
        st.session_state[f"_dc_dong_bo_{sha[:12]}"] = True
        st.rerun()
    if decisions:
        st.info(f"Đã chọn cho {fmt_number(len(decisions))} dòng; số liệu ở trên đã tính theo lựa chọn. Bấm "
                "**Xác nhận cập nhật** để ghi.", icon=":material/fact_check:")

# --- 3. confirm ---------------------------------------------------------------------------

st.subheader("3. Xác nhận")
start, end = period_bounds(plan.period)
st.write(f"Sẽ ghi **{fmt_number(plan.to_write)}** dòng (mới và thay đổi) cho {plain(plan.agency_name)}, "
         f"{fmt_period(plan.period)} ({fmt_date(start)} – {fmt_date(end)}). Dòng lỗi, chưa khớp và cần xác nhận "
         "không được ghi.")
if st.button("Xác nhận cập nhật", type="primary", key="xac_nhan_cap_nhat"):
    progress.progress(85, text="Đang ghi vào kho dữ liệu…")
    try:
        result = imp.apply_import(eng, plan, actor)
    except PermissionDenied as exc:
        st.error(plain(exc), icon=":material/block:")
        st.stop()
    except (ValueError, SQLAlchemyError) as exc:
        st.error(f"Không ghi được vào kho dữ liệu, không có gì thay đổi: {exc.__class__.__name__}", icon=":material/block:")
        st.stop()
    invalidate()
    st.session_state["ket_qua_cap_nhat"] = {"sha": sha, "upload": upload_identity, "message": result.message,
                                           "upload_id": result.upload_id}
    st.rerun()
