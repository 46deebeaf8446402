"""The corpus: realistic quarterly returns built from the sample store's real tasks.

Each builder lays a return out as an agency would (see /work/shared/seeds: the plan tables
of 5399/KH-UBND, seed 002 lines 95-106, and of the Sở Nội vụ 2026 plan, seed 004 lines 1-40,
for the plans' own headers; DESIGN.md §3 for the habits) and records, row by row, what the
row means. The truth follows what the agency meant, never what any importer does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.engine import Engine

from tests.corpus.catalogue import Catalogue
from tests.corpus.truth import DOING, DONE, NOT_STARTED, CorpusFile, Truth
from tests.corpus.xlsx import Book, Sheet

UPPER = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
UPPER_SHORT = "UBND TỈNH KHÁNH HÒA"
SNV = "Sở Nội vụ"
P_CCHC = "Phòng Cải cách hành chính và Văn thư lưu trữ"
P_TCBC = "Phòng Tổ chức, biên chế và Công chức, viên chức"
P_XDCQ = "Phòng Xây dựng chính quyền và Công tác thanh niên"
P_LDVL = "Phòng Lao động, Việc làm"
P_PC = "Phòng Pháp chế"
VPS = "Văn phòng Sở"
Q3 = "2026-Q3"  # the Sở Nội vụ returns, on its 2026 plan
# The other agencies report on the province's 2025 plan (5399/KH-UBND, the only plan they lead in
# the sample store): their returns are of 2025 quarters. A 2025-plan task in a 2026 return is a
# contradiction the importer must flag (issue 11, "What to build" 1), so it cannot be a tidy row.
Q3_25 = "2025-Q3"


def _serial(day: dt.date) -> int:
    """The Excel serial number of a date (what a pasted 'number' date looks like)."""
    return (day - dt.date(1899, 12, 30)).days


class _Rows:
    """Collects the truth of one file while its sheets are written."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.truth: list[Truth] = []

    def task(self, sheet: Sheet, values: list[object], code: str, habits: tuple[str, ...], state: str | None,
             progress: float | None = None, *, completed_on: str | None = None, recordable: bool = True,
             certain: bool = True, output: str | None = None, note: str = "", hidden: bool = False,
             duplicate: str | None = None) -> int:
        assert code in self.cat.tasks, code
        row = sheet.add(values, hidden=hidden)
        self.truth.append(Truth(sheet.ws.title, row, code, habits, state, progress, completed_on,
                                recordable and state is not None, certain, output, note, duplicate))
        return row

    def other(self, sheet: Sheet, values: list[object], habits: tuple[str, ...], note: str, *,
              hidden: bool = False, bold: bool = False) -> int:
        """A row that is not a task report (heading, example, stale copy, continuation)."""
        row = sheet.add(values, hidden=hidden, bold=bold)
        self.truth.append(Truth(sheet.ws.title, row, None, habits, note=note, recordable=False))
        return row

    def signature(self, sheet: Sheet, left: list[str], right: list[str], habits: tuple[str, ...] = ("h9",),
                  **kw: int) -> None:
        for row in sheet.signature(left, right, **kw):
            self.truth.append(Truth(sheet.ws.title, row, None, habits, note="khối chữ ký / nơi nhận",
                                    recordable=False))


NOI_NHAN = ["Nơi nhận:", "- Sở Nội vụ (để tổng hợp);", "- Lãnh đạo Sở;", "- Lưu: VT, VP."]


def _title(sh: Sheet, agency_caps: str, number: str, place_date: str, title: str, subtitle: str,
           *, upper: str = UPPER) -> None:
    sh.letterhead(upper, agency_caps, number, place_date)
    sh.merged("BÁO CÁO")
    sh.merged(title)
    if subtitle:
        sh.merged(subtitle, bold=False)
    sh.blank()


# --- 1: codes that contradict their text ---------------------------------------------


def snv_ma_mau_thuan(cat: Catalogue) -> CorpusFile:
    """Sở Nội vụ fills last quarter's template: one row copied (code kept, text overwritten),
    one code typed with swapped digits."""
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Báo cáo", 9)
    _title(sh, "SỞ NỘI VỤ", "Số: 1287/BC-SNV", "Khánh Hòa, ngày 28 tháng 9 năm 2026",
           "Kết quả thực hiện nhiệm vụ cải cách hành chính Quý III/2026", "(Kỳ báo cáo: từ ngày 01/7/2026 đến 30/9/2026)")
    sh.header(["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)",
               "Ngày hoàn thành", "Văn bản/sản phẩm", "Khó khăn, vướng mắc"])
    t = cat.text
    for code in ("SNV26-P1-17", "SNV26-P1-18", "SNV26-P1-19", "SNV26-P1-20", "SNV26-P1-21", "SNV26-P1-23",
                 "SNV26-P1-13", "SNV26-P1-31", "SNV26-P2-40", "SNV26-P2-42", "SNV26-P2-44"):
        cat.check_lead(code, P_CCHC, P_TCBC, VPS)
    r.task(sh, [1, "SNV26-P1-17", t("SNV26-P1-17"), P_CCHC, "Đang thực hiện", 60, None,
                "Đã trình phê duyệt chủ trương đầu tư", "Chờ bố trí kinh phí"], "SNV26-P1-17", ("tidy",), DOING, 60)
    r.task(sh, [2, "SNV26-P1-18", t("SNV26-P1-18"), P_CCHC, "Đang thực hiện", "50%", None, None, None],
           "SNV26-P1-18", ("tidy",), DOING, 50)
    r.task(sh, [3, "SNV26-P1-19", t("SNV26-P1-19"), P_CCHC, "Chưa thực hiện", None, None, None,
                "Chưa được bố trí kinh phí"], "SNV26-P1-19", ("tidy",), NOT_STARTED)
    r.task(sh, [4, "SNV26-P1-20", t("SNV26-P1-20"), P_CCHC, "Đã hoàn thành", 100, dt.datetime(2026, 1, 20),
                "Quyết định số 215/QĐ-UBND ngày 20/01/2026", None], "SNV26-P1-20", ("tidy",), DONE, 100,
           completed_on="2026-01-20")
    r.task(sh, [5, "SNV26-P1-21", t("SNV26-P1-21"), P_CCHC, "Đã hoàn thành", 100, "28/01/2026",
                "Quyết định số 301/QĐ-UBND ngày 28/01/2026", None], "SNV26-P1-21", ("tidy",), DONE, 100,
           completed_on="2026-01-28")
    # Row 5 copied down, the code kept, the text overwritten with another task's.
    r.task(sh, [6, "SNV26-P1-21", t("SNV26-P1-23"), P_CCHC, "Đang thực hiện", 70, None,
                "Quyết định số 1650/QĐ-UBND ban hành Kế hoạch kiểm tra", None], "SNV26-P1-23", ("h1",), DOING, 70,
           certain=False, note="dòng chép từ dòng trên: mã SNV26-P1-21 còn lại, nội dung là SNV26-P1-23")
    # Swapped digits: P1-13 typed as P1-31 (a real code of another task); the lead copied from P1-31.
    r.task(sh, [7, "SNV26-P1-31", t("SNV26-P1-13"), P_CCHC, "Đang thực hiện", 40, None, None, None],
           "SNV26-P1-13", ("h1",), DOING, 40, certain=False,
           note="mã gõ đảo số (13 -> 31); nội dung là SNV26-P1-13")
    r.task(sh, [8, "SNV26-P2-40", t("SNV26-P2-40"), VPS, "Đã hoàn thành", 100, dt.datetime(2026, 1, 27),
                "Quyết định số 45/QĐ-SNV", None], "SNV26-P2-40", ("tidy",), DONE, 100, completed_on="2026-01-27")
    # The row of P2-41 copied for P2-42 (code and lead kept).
    r.task(sh, [9, "SNV26-P2-41", t("SNV26-P2-42"), VPS, "Đang thực hiện", 30, None, "Kế hoạch khảo sát số 88/KH-SNV",
                None], "SNV26-P2-42", ("h1",), DOING, 30, certain=False,
           note="dòng chép: mã SNV26-P2-41, nội dung SNV26-P2-42")
    r.task(sh, [10, "SNV26-P2-44", t("SNV26-P2-44"), VPS, "Chưa thực hiện", 0, None, None,
                "Thực hiện vào Quý IV/2026"], "SNV26-P2-44", ("tidy",), NOT_STARTED, 0)
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "(Đã ký)", "", "Lê Thị Thu Hà"], right_col=6)
    return CorpusFile("01_snv_ma_mau_thuan.xlsx", "Sở Nội vụ, biểu mẫu quý trước: dòng chép giữ mã cũ, mã gõ đảo số",
                      book.bytes(), SNV, Q3, r.truth)


# --- 2: the same text in several plans -------------------------------------------------


def snv_trung_ke_hoach(cat: Catalogue) -> CorpusFile:
    """Sở Nội vụ's hand-made return without codes; texts that recur in the 2025 and 2026 plans,
    the Sở's own name in the lead column where a division leads."""
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Sheet1", 6)
    _title(sh, "SỞ NỘI VỤ", "Số:      /BC-SNV", "Khánh Hòa, ngày      tháng 9 năm 2026",
           "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH QUÝ III/2026", "")
    sh.header(["STT", "Nội dung công việc", "Đơn vị chủ trì", "Tình trạng", "Tỷ lệ hoàn thành", "Ghi chú"])
    t = cat.text
    r.other(sh, ["I", "THAM MƯU THỰC HIỆN CCHC THEO SỰ PHÂN CÔNG CỦA TỈNH"], ("x_section",), "đề mục", bold=True)
    cat.check_lead("SNV26-P1-26", P_CCHC)
    r.task(sh, [1, t("SNV26-P1-26"), P_CCHC, "Đang thực hiện", None, "Đã ban hành báo cáo quý II"],
           "SNV26-P1-26", ("h2",), DOING,
           note="cùng nội dung KH24-57, PS25-02 (Sở Nội vụ), SNV26-P2-43 (Văn phòng Sở); cột chủ trì chỉ rõ phòng")
    r.task(sh, [2, t("SNV26-P1-10"), P_TCBC, "Đang thực hiện", "75%", None], "SNV26-P1-10", ("h2",), DOING, 75,
           note="cùng nội dung SNV26-P2-32 (Văn phòng Sở); cột chủ trì chỉ rõ phòng")
    r.task(sh, [3, t("SNV26-P1-08"), SNV, "Đang thực hiện", "80%", None], "SNV26-P1-08", ("h2",), DOING, 80,
           certain=False, note="cùng nội dung SNV26-P2-30 (Văn phòng Sở), cùng kế hoạch; ghi tên Sở: không phân biệt được")
    cat.check_lead("SNV26-P1-06", P_XDCQ)
    r.task(sh, [4, t("SNV26-P1-06"), P_XDCQ, "Đang thực hiện", "85%", "Trình Bộ Nội vụ thẩm định"],
           "SNV26-P1-06", ("tidy",), DOING, 85)
    cat.check_lead("SNV26-P1-27", SNV)
    r.task(sh, [5, t("SNV26-P1-27"), SNV, "Đang thực hiện", None, "Đang xây dựng dự thảo"], "SNV26-P1-27",
           ("tidy",), DOING)
    r.other(sh, ["II", "THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH CỦA SỞ NỘI VỤ"], ("x_section",), "đề mục", bold=True)
    cat.check_lead("SNV26-P2-10", VPS)
    cat.check_lead("PS25-17", SNV)
    r.task(sh, [1, t("SNV26-P2-10"), SNV, "Đang thực hiện", None, None], "SNV26-P2-10", ("h2",), DOING,
           note="cùng nội dung PS25-17 (Sở Nội vụ chủ trì, kế hoạch 2025): kỳ 2026 thuộc kế hoạch 2026")
    cat.check_lead("SNV26-P2-29", VPS)
    assert SNV not in cat["PS25-32"].leads  # the 2025 twin: Sở Nội vụ only coordinates it
    r.task(sh, [2, t("SNV26-P2-29"), SNV, "Đang thực hiện", "60%", None], "SNV26-P2-29", ("h2",), DOING, 60,
           note="cùng nội dung PS25-32 (kế hoạch 2025, Sở Nội vụ chỉ phối hợp): kỳ 2026 thuộc kế hoạch 2026")
    r.task(sh, [3, t("SNV26-P2-37"), VPS, "Đã hoàn thành", "100%", None], "SNV26-P2-37", ("h2",), DONE, 100,
           note="cùng nội dung PS25-38 (Sở Nội vụ, 2025)")
    r.task(sh, [4, t("SNV26-P2-43"), SNV, "Đang thực hiện", None, "Báo cáo quý của Sở"], "SNV26-P2-43", ("h2",),
           DOING, certain=False,
           note="cùng nội dung SNV26-P1-26 (phòng CCHC) trong cùng kế hoạch; ghi tên Sở; thuộc phần II của Sở")
    r.task(sh, [5, t("SNV26-P2-33"), VPS, "Đang thực hiện", "50%", None], "SNV26-P2-33", ("h2",), DOING, 50,
           note="cùng nội dung SNV26-P1-13 (phòng TCBC)")
    r.task(sh, [6, t("SNV26-P2-19"), VPS, "Đã hoàn thành", "100%", "Quyết định số 12/2026/QĐ-UBND"], "SNV26-P2-19",
           ("tidy",), DONE, 100)
    r.signature(sh, NOI_NHAN, ["GIÁM ĐỐC", "", "", "Nguyễn Văn Hòa"], right_col=4)
    return CorpusFile("02_snv_trung_ke_hoach.xlsx", "Sở Nội vụ, không mã: nội dung trùng giữa kế hoạch 2025/2026",
                      book.bytes(), SNV, None, r.truth)


# --- 3: status as prose --------------------------------------------------------------


def stp_tinh_trang_bang_loi(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Phụ lục", 6)
    _title(sh, "SỞ TƯ PHÁP", "Số: 2210/BC-STP", "Khánh Hòa, ngày 30 tháng 9 năm 2025",
           "Tình hình, kết quả thực hiện công tác cải cách hành chính quý III năm 2025", "")
    sh.header(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Kết quả thực hiện", "Ghi chú"])
    STP = "Sở Tư pháp"
    rows: list[tuple[str, str, str | None, float | None, str | None, bool, str]] = [
        ("PS25-11", "Hoàn thành một phần: đã ban hành Kế hoạch theo dõi thi hành pháp luật năm 2025, đang triển khai "
         "kiểm tra tại các sở, ngành", DOING, None, None, True, ""),
        ("PS25-12", "Đã hoàn thành dự thảo Báo cáo kết quả theo dõi thi hành pháp luật, đang lấy ý kiến các sở, ngành",
         DOING, None, None, True, ""),
        ("PS25-13", "Hoàn thành 100%", DONE, 100, None, True, ""),
        ("PS25-14", "Cơ bản hoàn thành", DOING, None, None, True,
         "'cơ bản hoàn thành' là chưa xong (issue 11, mục 3: dạng một phần)"),
        ("PS25-15", "Chưa hoàn thành, đạt 80% kế hoạch", DOING, 80, None, True, ""),
        ("PS25-16", "Đang triển khai, đạt khoảng 70%", DOING, 70, None, True, ""),
        ("PS25-39", "Đã hoàn thành. Ban hành Quyết định số 2145/QĐ-STP ngày 12/8/2025", DONE, None, "2025-08-12", True,
         ""),
        ("PS25-18", "Chưa triển khai do chưa có văn bản hướng dẫn của Trung ương", NOT_STARTED, None, None, True, ""),
        ("PS25-22", "Đang thực hiện", DOING, None, None, True, ""),
        ("PS25-21", "Thực hiện thường xuyên; 100% TTHC được công khai đúng quy định", DOING, None, None, True,
         "nhiệm vụ thường xuyên: đang thực hiện; '100%' là tỷ lệ TTHC được công khai, không phải tiến độ"),
    ]
    for i, (code, prose, state, progress, done_on, certain, note) in enumerate(rows, start=1):
        info = cat.check_lead(code, STP)
        r.task(sh, [i, info.text, STP, info.deadline, prose, None], code, ("h3",), state, progress,
               completed_on=done_on, certain=certain, note=note)
    info = cat.check_lead("KH24-01", STP)
    r.task(sh, [len(rows) + 1, info.text, STP, info.deadline, "Đã hoàn thành", "Nhiệm vụ năm 2024"], "KH24-01",
           ("x_stale",), DONE, certain=False,
           note="nhiệm vụ kế hoạch 2024 chép sang báo cáo 2025: ứng viên duy nhất nhưng năm kế hoạch không khớp")
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Trần Minh Tuấn"], right_col=5)
    return CorpusFile("03_stp_tinh_trang_bang_loi.xlsx", "Sở Tư pháp: tình trạng chỉ có trong cột 'Kết quả thực hiện'",
                      book.bytes(), "Sở Tư pháp", Q3_25, r.truth)


def stc_ket_qua_va_ty_le(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("BC Quý III", 7)
    _title(sh, "SỞ TÀI CHÍNH", "Số: 4512/BC-STC", "Khánh Hòa, ngày 02 tháng 10 năm 2025",
           "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III NĂM 2025", "")
    sh.header(["STT", "Mã NV", "Nội dung nhiệm vụ", "Kết quả thực hiện", "Tỷ lệ (%)", "Văn bản", "Khó khăn, vướng mắc"])
    STC = "Sở Tài chính"
    rows: list[tuple[str, str, object, str | None, float | None, str]] = [
        ("PS25-40", "Đang thực hiện", 0.75, DOING, 75, ""),
        ("PS25-41", "Đạt 60%", None, DOING, 60, "tỷ lệ chỉ có trong lời"),
        ("PS25-51", "Hoàn thành", "100%", DONE, 100, ""),
        ("PS25-52", "Đã hoàn thành dự thảo Nghị quyết, trình UBND tỉnh tại Tờ trình số 45/TTr-STC", None, DOING, None,
         "dự thảo: chưa xong"),
        ("PS25-53", "Đang thực hiện", "60,5", DOING, 60.5, ""),
        ("PS25-54", "Chưa thực hiện", None, NOT_STARTED, None, ""),
        ("PS25-39", "Hoàn thành một phần, đã ban hành 03 văn bản", None, DOING, None, ""),
        ("PS25-28", "Đang triển khai, tinh giản đạt 68,2% lộ trình", None, DOING, 68.2,
         "nhiệm vụ là tinh giản theo lộ trình: tỷ lệ đạt của lộ trình là tiến độ của nhiệm vụ"),
        ("PS25-10", "Đã tổ chức 01/02 Hội nghị đối thoại với doanh nghiệp", None, DOING, None,
         "mới 1 trong 2 hội nghị: chưa xong"),
        ("PS25-56", "Hoàn thành 100% kế hoạch", None, DONE, 100, ""),
    ]
    for i, (code, prose, pct, state, progress, note) in enumerate(rows, start=1):
        cat.check_lead(code, STC)
        r.task(sh, [i, code, cat.text(code), prose, pct, None, None], code, ("h3", "x_numbers"), state, progress,
               note=note)
        if isinstance(pct, float):
            sh.ws.cell(row=sh.next - 1, column=5).number_format = "0%"
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT, VP."], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "",
                                                                     "Phạm Quốc Bảo"], right_col=5)
    return CorpusFile("04_stc_ket_qua_va_ty_le.xlsx", "Sở Tài chính: tình trạng bằng lời, tỷ lệ nhiều kiểu",
                      book.bytes(), "Sở Tài chính", Q3_25, r.truth)


# --- 4: hidden rows, instruction sheets, duplicates -------------------------------------


def syt_huong_dan_dong_an(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    header = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)",
              "Ngày hoàn thành", "Ghi chú"]
    SYT = "Sở Y tế"
    guide = book.sheet("Hướng dẫn", 8)
    guide.add(["HƯỚNG DẪN ĐIỀN BÁO CÁO"], bold=True)
    guide.add(["1. Cột Tình trạng chọn một trong: Đã hoàn thành / Đang thực hiện / Chưa thực hiện."])
    guide.add(["2. Tỷ lệ hoàn thành ghi số từ 0 đến 100; ngày hoàn thành ghi dd/mm/yyyy."])
    guide.add(["3. Ví dụ cách ghi:"])
    guide.header(header)
    cat.check_lead("PS25-17", SYT)
    r.other(guide, [1, "PS25-17", cat.text("PS25-17"), SYT, "Đã hoàn thành", 100, "15/09/2025", "Ví dụ"], ("h4",),
            "dòng ví dụ trên trang Hướng dẫn")
    r.other(guide, [2, "PS25-18", cat.text("PS25-18"), SYT, "Đang thực hiện", 50, None, "Ví dụ"], ("h4",),
            "dòng ví dụ trên trang Hướng dẫn")
    sh = book.sheet("Báo cáo", 8)
    _title(sh, "SỞ Y TẾ", "Số: 3377/BC-SYT", "Khánh Hòa, ngày 29 tháng 9 năm 2025",
           "Kết quả thực hiện nhiệm vụ cải cách hành chính Quý III/2025", "")
    sh.header(header)
    t = cat.text
    r.task(sh, [1, "PS25-17", t("PS25-17"), SYT, "Đang thực hiện", 80, None, None], "PS25-17", ("h4",), DOING, 80,
           note="trang Hướng dẫn có dòng ví dụ cùng nhiệm vụ")
    r.other(sh, [2, "PS25-18", t("PS25-18"), SYT, "Đang thực hiện", 50, None, "số liệu quý II"], ("h4",),
            "dòng ẩn: số liệu cũ của quý II", hidden=True)
    r.task(sh, [2, "PS25-18", t("PS25-18"), SYT, "Đã hoàn thành", 100, "18/08/2025", None], "PS25-18", ("h4",), DONE,
           100, completed_on="2025-08-18", note="dòng ẩn phía trên cùng nhiệm vụ")
    for i, (code, state_txt, pct, state) in enumerate([
        ("PS25-21", "Đang thực hiện", 90, DOING), ("PS25-22", "Chưa thực hiện", 0, NOT_STARTED),
        ("PS25-24", "Đang thực hiện", 65, DOING), ("PS25-44", "Đang thực hiện", 50, DOING),
    ], start=3):
        cat.check_lead(code, SYT)
        r.task(sh, [i, code, t(code), SYT, state_txt, pct, None, None], code, ("tidy",), state, pct)
    r.other(sh, [7, "PS25-46", t("PS25-46"), SYT, "Chưa thực hiện", 0, None, "quý II"], ("h4",),
            "dòng ẩn: số liệu cũ", hidden=True)
    r.task(sh, [7, "PS25-46", t("PS25-46"), SYT, "Đang thực hiện", 40, None, None], "PS25-46", ("h4",), DOING, 40)
    # The same task twice, visible, with different figures: the officer must choose.
    r.task(sh, [8, "PS25-47", t("PS25-47"), SYT, "Đang thực hiện", 60, None, None], "PS25-47", ("h4",), DOING, 60,
           recordable=False, duplicate="drop",
           note="nhiệm vụ ghi hai lần (dòng này và dòng cuối), số liệu khác nhau: không ghi dòng nào")
    r.task(sh, [9, "PS25-49", t("PS25-49"), SYT, "Đang thực hiện", 70, None, None], "PS25-49", ("tidy",), DOING, 70)
    r.task(sh, [10, "PS25-47", t("PS25-47"), SYT, "Đã hoàn thành", 100, "25/09/2025", "Cập nhật"], "PS25-47",
           ("h4",), DONE, 100, completed_on="2025-09-25", recordable=False, duplicate="pick",
           note="bản cập nhật của dòng 8; cán bộ chọn dòng này")
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Võ Thị Ngọc Lan"], right_col=5)
    return CorpusFile("05_syt_huong_dan_dong_an.xlsx", "Sở Y tế: trang Hướng dẫn có ví dụ, dòng ẩn số liệu cũ, dòng trùng",
                      book.bytes(), SYT, Q3_25, r.truth)


def sdttg_sheet_an_trung(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    SDT = "Sở Dân tộc và Tôn giáo"
    header = ["STT", "Mã nhiệm vụ", "Tên nhiệm vụ", "Tình trạng", "Tỷ lệ %", "Ngày hoàn thành", "Sản phẩm"]
    old = book.sheet("BC quý II", 7, state="hidden")
    _title(old, "SỞ DÂN TỘC VÀ TÔN GIÁO", "Số: 410/BC-SDTTG", "Khánh Hòa, ngày 25 tháng 6 năm 2025",
           "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CCHC QUÝ II/2025", "")
    old.header(header)
    sh = book.sheet("BC quý III", 7)
    _title(sh, "SỞ DÂN TỘC VÀ TÔN GIÁO", "Số: 688/BC-SDTTG", "Khánh Hòa, ngày 26 tháng 9 năm 2025",
           "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CCHC QUÝ III/2025", "")
    sh.header(header)
    codes = ["PS25-04", "PS25-09", "PS25-17", "PS25-18", "PS25-25", "PS25-28", "PS25-56", "PS25-59"]
    q2 = {"PS25-04": ("Đang thực hiện", 30), "PS25-09": ("Chưa thực hiện", 0), "PS25-17": ("Đang thực hiện", 50),
          "PS25-18": ("Đang thực hiện", 40), "PS25-25": ("Đang thực hiện", 50), "PS25-28": ("Đang thực hiện", 45),
          "PS25-56": ("Chưa thực hiện", 0), "PS25-59": ("Đang thực hiện", 20)}
    q3 = {"PS25-04": ("Đang thực hiện", 60, DOING), "PS25-09": ("Đã hoàn thành", 100, DONE),
          "PS25-17": ("Đang thực hiện", 75, DOING), "PS25-18": ("Đã hoàn thành", 100, DONE),
          "PS25-25": ("Đang thực hiện", 80, DOING), "PS25-28": ("Đang thực hiện", 60, DOING),
          "PS25-56": ("Đang thực hiện", 25, DOING), "PS25-59": ("Đang thực hiện", 50, DOING)}
    for i, code in enumerate(codes, start=1):
        cat.check_lead(code, SDT)
        word, pct = q2[code]
        r.other(old, [i, code, cat.text(code), word, pct, None, None], ("h4",), "trang ẩn: báo cáo quý II")
    for i, code in enumerate(codes, start=1):
        word, pct, state = q3[code]
        if code == "PS25-25":
            # Last quarter's line kept above, hidden by a filter.
            r.other(sh, [i, code, cat.text(code), *q2[code], None, None], ("h4",), "dòng ẩn: số liệu quý II",
                    hidden=True)
        r.task(sh, [i, code, cat.text(code), word, pct, None, None], code, ("h4",) if code == "PS25-25" else ("tidy",),
               state, pct)
    # Pasted twice by mistake, identical: still a duplicate the officer resolves.
    word, pct, state = "Đang thực hiện", 35, DOING
    cat.check_lead("PS25-65", SDT)
    r.task(sh, [9, "PS25-65", cat.text("PS25-65"), word, pct, None, None], "PS25-65", ("h4",), state, pct,
           recordable=False, duplicate="pick", note="dòng dán hai lần, giống hệt: cán bộ chọn một dòng")
    r.task(sh, [10, "PS25-65", cat.text("PS25-65"), word, pct, None, None], "PS25-65", ("h4",), state, pct,
           recordable=False, duplicate="drop", note="bản trùng của dòng trên")
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."],
                ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "", "", "Đinh Văn Thắng"], right_col=4)
    return CorpusFile("06_sdttg_sheet_an_trung.xlsx", "Sở Dân tộc và Tôn giáo: trang quý II ẩn, dòng lọc ẩn, dòng dán trùng",
                      book.bytes(), SDT, Q3_25, r.truth)


# --- 5: tick-mark status columns beside the plan's deadline -------------------------------


def sct_danh_dau_x(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    SCT = "Sở Công Thương"
    sh = book.sheet("Quý III", 8)
    _title(sh, "SỞ CÔNG THƯƠNG", "Số: 2950/BC-SCT", "Khánh Hòa, ngày 30 tháng 9 năm 2025",
           "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III NĂM 2025", "")
    sh.header2(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành", "Tình hình thực hiện", None, None,
                "Ghi chú"],
               [None, None, None, None, "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", None])
    rows: list[tuple[str, object, int | None, str | None, str]] = [
        ("PS25-17", None, 1, DOING, ""),
        ("PS25-18", None, 0, DONE, ""),
        ("PS25-21", dt.datetime(2025, 9, 30), 1, DOING, "thời hạn ghi dạng ngày, nhiệm vụ chưa xong"),
        ("PS25-22", dt.datetime(2025, 12, 31), 2, NOT_STARTED, "thời hạn ghi dạng ngày, chưa thực hiện"),
        ("PS25-24", None, 1, DOING, "dấu X hoa"),
        ("PS25-36", "30/9/2025", 0, DONE, "thời hạn dạng chữ; đã xong nhưng không ghi ngày hoàn thành"),
        ("PS25-44", None, 1, DOING, ""),
        ("PS25-46", None, 0, DONE, ""),
        ("PS25-57", "Quý III/2025", 1, DOING, ""),
        ("PS25-65", None, None, None, "không đánh dấu cột nào: dòng không báo cáo gì"),
    ]
    for i, (code, deadline, tick, state, note) in enumerate(rows, start=1):
        info = cat.check_lead(code, SCT)
        marks: list[object] = [None, None, None]
        if tick is not None:
            marks[tick] = "X" if code == "PS25-24" else "x"
        r.task(sh, [i, info.text, SCT, deadline if deadline is not None else info.deadline, *marks, None], code,
               ("h5",), state, None, recordable=state is not None, note=note)
        if isinstance(deadline, dt.datetime):
            sh.ws.cell(row=sh.next - 1, column=4).number_format = "dd/mm/yyyy"
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Huỳnh Văn Lộc"], right_col=5)
    return CorpusFile("07_sct_danh_dau_x.xlsx", "Sở Công Thương: đánh dấu x theo cột tình trạng, cột 'Thời gian hoàn thành' là thời hạn",
                      book.bytes(), SCT, Q3_25, r.truth)


# --- 6: two quarters in one workbook -------------------------------------------------------


def _sxd_two_quarters(cat: Catalogue, period: str) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    SXD = "Sở Xây dựng"
    codes = ["PS25-17", "PS25-18", "PS25-21", "PS25-24", "PS25-29", "PS25-36", "PS25-49", "PS25-58"]
    quarters = {
        "2025-Q2": ("Quý II-2025", "QUÝ II NĂM 2025", "Số: 1502/BC-SXD", "Khánh Hòa, ngày 26 tháng 6 năm 2025",
                    [("Đang thực hiện", 40, DOING), ("Đang thực hiện", 50, DOING), ("Đang thực hiện", 60, DOING),
                     ("Chưa thực hiện", 0, NOT_STARTED), ("Đang thực hiện", 30, DOING), ("Đang thực hiện", 45, DOING),
                     ("Đang thực hiện", 55, DOING), ("Chưa thực hiện", 0, NOT_STARTED)]),
        "2025-Q3": ("Quý III-2025", "QUÝ III NĂM 2025", "Số: 2233/BC-SXD", "Khánh Hòa, ngày 28 tháng 9 năm 2025",
                    [("Đang thực hiện", 70, DOING), ("Đã hoàn thành", 100, DONE), ("Đang thực hiện", 85, DOING),
                     ("Đang thực hiện", 30, DOING), ("Đang thực hiện", 60, DOING), ("Đang thực hiện", 72, DOING),
                     ("Đang thực hiện", 80, DOING), ("Đang thực hiện", 20, DOING)]),
    }
    for q, (title, caps, number, when, states) in quarters.items():
        sh = book.sheet(title, 6)
        _title(sh, "SỞ XÂY DỰNG", number, when, f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {caps}", "")
        sh.header(["STT", "Mã nhiệm vụ", "Tên nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"])
        for i, (code, (word, pct, state)) in enumerate(zip(codes, states, strict=True), start=1):
            cat.check_lead(code, SXD)
            this = q == period
            r.task(sh, [i, code, cat.text(code), word, pct, None], code, ("h6",), state, pct, recordable=this,
                   note="" if this else f"trang của quý khác ({title}): không ghi vào kỳ {period}")
        r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Ngô Thanh Sơn"], right_col=4)
    tag = period[-2:].lower()
    return CorpusFile(f"08_sxd_hai_quy_{tag}.xlsx", f"Sở Xây dựng: hai quý trong một tệp, tải lên cho kỳ {period}",
                      book.bytes(), SXD, period, r.truth)


def sxd_hai_quy(cat: Catalogue) -> list[CorpusFile]:
    return [_sxd_two_quarters(cat, Q3_25), _sxd_two_quarters(cat, "2025-Q2")]


# --- 7: the province's own plan headers ------------------------------------------------------


def vpubnd_nhiem_vu_cu_the(cat: Catalogue) -> CorpusFile:
    """The plan table of 5399/KH-UBND (seed 002, line 98: 'Số TT | Nhiệm vụ cụ thể | Tiến độ |
    Cơ quan chủ trì | Cơ quan phối hợp | Kết quả/sản phẩm') copied, with two columns added."""
    r = _Rows(cat)
    book = Book()
    VP = "Văn phòng UBND tỉnh"
    sh = book.sheet("Phụ lục", 8)
    _title(sh, "VĂN PHÒNG", "Số: 5120/BC-VPUB", "Khánh Hòa, ngày 01 tháng 10 năm 2025",
           "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ PAR INDEX VÀ SIPAS",
           "(Quý III năm 2025)")
    sh.header(["Số TT", "Nhiệm vụ cụ thể", "Tiến độ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả/sản phẩm",
               "Kết quả thực hiện", "Số, ký hiệu văn bản"])
    r.other(sh, ["A", "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR-INDEX)"], ("x_section",), "đề mục", bold=True)
    r.other(sh, ["III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"], ("x_section",), "đề mục", bold=True)
    rows: list[tuple[str, str, str | None, float | None, str | None]] = [
        ("PS25-26", "Đã hoàn thành", DONE, None, "Báo cáo số 410/BC-VPUB ngày 05/9/2025"),
        ("PS25-28", "Đang thực hiện", DOING, None, None),
        ("PS25-19", "Thực hiện thường xuyên, đạt 100% TTHC được nhập sau công bố", DOING, None, None),
        ("PS25-20", "Đã hoàn thành", DONE, None, "Công văn số 3321/VPUB-KSTT ngày 14/8/2025"),
        ("PS25-31", "Chưa thực hiện", NOT_STARTED, None, None),
    ]
    for code, result, state, progress, doc in rows:
        info = cat.check_lead(code, VP)
        note = "'100%' là tỷ lệ TTHC, nhiệm vụ thường xuyên: đang thực hiện" if code == "PS25-19" else ""
        r.task(sh, [info.number, info.text, info.deadline, info.assigned[0], None,
                    info.output or "Quyết định công bố", result, doc], code, ("h7",), state, progress, output=doc,
               note=note)
    r.other(sh, ["VI", "HIỆN ĐẠI HÓA NỀN HÀNH CHÍNH"], ("x_section",), "đề mục", bold=True)
    for code, result, state, doc in [
        ("PS25-45", "Đang triển khai, đạt khoảng 70%", DOING, None),
        ("PS25-48", "Hoàn thành 100%", DONE, "Quyết định số 1875/QĐ-UBND ngày 05/8/2025"),
        ("PS25-46", "Đang thực hiện", DOING, None),
        ("PS25-44", "Đã hoàn thành", DONE, "Báo cáo số 455/BC-VPUB ngày 20/9/2025"),
    ]:
        info = cat.check_lead(code, VP)
        progress = 70.0 if code == "PS25-45" else 100.0 if code == "PS25-48" else None
        r.task(sh, [info.number, info.text, info.deadline, info.assigned[0], "Sở Khoa học và Công nghệ",
                    info.output or "Hệ thống được nâng cấp", result, doc], code, ("h7", "h3"), state, progress,
               output=doc)
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lãnh đạo VP;", "- Lưu: VT, KSTT."],
                ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "", "", "Lê Quang Vinh"], right_col=6)
    return CorpusFile("09_vpubnd_nhiem_vu_cu_the.xlsx", "VP UBND tỉnh: bảng của Kế hoạch 5399 chép nguyên, thêm cột kết quả và số văn bản",
                      book.bytes(), VP, Q3_25, r.truth)


def ttr_noi_dung_cong_viec(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    TTR = "Thanh tra tỉnh"
    sh = book.sheet("Sheet1", 8)
    _title(sh, "THANH TRA TỈNH", "Số: 901/BC-TTr", "Khánh Hòa, ngày 29 tháng 9 năm 2025",
           "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ III/2025", "")
    sh.header2(["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
                "Kết quả/sản phẩm", "Tình hình thực hiện", "Số, ký hiệu văn bản"], [None] * 8)
    rows: list[tuple[str, object, str, str | None, float | None, str | None]] = [
        ("PS25-62", "Trong năm 2025", "Đang thực hiện, đã kiểm tra 04/06 đơn vị theo kế hoạch", DOING, None, None),
        ("PS25-60", "Trong năm 2025", "Đang thực hiện", DOING, None, None),
        ("PS25-17", "Trong năm 2025", "Hoàn thành", DONE, None, "Báo cáo số 120/BC-TTr ngày 10/9/2025"),
        ("PS25-21", "Thường xuyên", "Đang thực hiện", DOING, None, None),
        ("PS25-38", dt.datetime(2025, 12, 31), "Đang thực hiện, đạt 75%", DOING, 75, None),
        ("PS25-57", "Trong năm 2025", "Đã hoàn thành", DONE, None, "Kế hoạch số 55/KH-TTr"),
        ("PS25-64", "Trong năm 2025", "Chưa thực hiện", NOT_STARTED, None, None),
    ]
    for i, (code, deadline, result, state, progress, doc) in enumerate(rows, start=1):
        info = cat.check_lead(code, TTR)
        r.task(sh, [i, info.text, TTR, "Các phòng nghiệp vụ", deadline, info.output or "Báo cáo", result, doc], code,
               ("h7",) if not isinstance(deadline, dt.datetime) else ("h7", "h5"), state, progress, output=doc,
               note="cột 'Thời gian hoàn thành' là thời hạn của kế hoạch" if isinstance(deadline, dt.datetime) else "")
        if isinstance(deadline, dt.datetime):
            sh.ws.cell(row=sh.next - 1, column=5).number_format = "dd/mm/yyyy"
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."],
                ["KT. CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA", "", "", "Nguyễn Thị Mai"], right_col=6)
    return CorpusFile("10_ttr_noi_dung_cong_viec.xlsx", "Thanh tra tỉnh: tiêu đề 'Nội dung công việc', 'Kết quả/sản phẩm' và 'Số, ký hiệu văn bản'",
                      book.bytes(), TTR, Q3_25, r.truth)


def skhcn_nhiem_vu_giai_phap(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    KHCN = "Sở Khoa học và Công nghệ"
    sh = book.sheet("KQ thực hiện", 8)
    _title(sh, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 1714/BC-SKHCN", "Khánh Hòa, ngày 30 tháng 9 năm 2025",
           "Kết quả thực hiện nhiệm vụ cải cách hành chính quý III năm 2025", "")
    sh.header(["STT", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
               "Kết quả/sản phẩm", "Kết quả thực hiện", "Số, ký hiệu văn bản"])
    rows: list[tuple[str, object, str, str | None, float | None, str | None]] = [
        ("PS25-43", "Thường xuyên", "Đã hoàn thành", DONE, None, "Quyết định số 980/QĐ-UBND ngày 02/7/2025"),
        ("PS25-56", "Thường xuyên", "Đang thực hiện", DOING, None, None),
        ("PS25-17", "Trong năm 2025", "Đang thực hiện", DOING, None, None),
        ("PS25-58", dt.datetime(2025, 12, 31), "Đang thực hiện", DOING, None, None),
        ("PS25-42", "Trong năm 2025", "Hoàn thành", DONE, None, "Báo cáo số 233/BC-SKHCN"),
        ("PS25-57", "Trong năm 2025", "Đang triển khai, đạt khoảng 65%", DOING, 65, None),
        ("PS25-59", "Trong năm 2025", "Chưa thực hiện", NOT_STARTED, None, None),
    ]
    for i, (code, deadline, result, state, progress, doc) in enumerate(rows, start=1):
        info = cat.check_lead(code, KHCN)
        r.task(sh, [i, info.text, KHCN, None, deadline, info.output or "Văn bản triển khai", result, doc], code,
               ("h7", "h5") if isinstance(deadline, dt.datetime) else ("h7",), state, progress, output=doc)
        if isinstance(deadline, dt.datetime):
            sh.ws.cell(row=sh.next - 1, column=5).number_format = "dd/mm/yyyy"
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT, VP."],
                ["TUQ. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "", "", "Trương Công Định"], right_col=6)
    return CorpusFile("11_skhcn_nhiem_vu_giai_phap.xlsx", "Sở KH&CN: tiêu đề 'Nhiệm vụ, giải pháp', ký TUQ.",
                      book.bytes(), KHCN, Q3_25, r.truth)


# --- 8: agency names from before February 2025 ---------------------------------------------


def stttt_2024_ten_cu(cat: Catalogue) -> CorpusFile:
    """A late Q4/2024 return of Sở Thông tin và Truyền thông (merged into Sở KH&CN on 01/3/2025),
    imported for history; nothing chosen on the page."""
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Báo cáo", 6)
    _title(sh, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 2890/BC-STTTT", "Khánh Hòa, ngày 20 tháng 12 năm 2024",
           "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH QUÝ IV/2024", "", upper=UPPER_SHORT)
    sh.header(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"])
    rows: list[tuple[str, str, object, object, str | None, float | None, str | None]] = [
        ("KH24-38", "Đang thực hiện", 80, None, DOING, 80, None),
        ("KH24-39", "Đã hoàn thành", 100, "15/11/2024", DONE, 100, "2024-11-15"),
        ("KH24-40", "Đã hoàn thành", 100, dt.datetime(2024, 10, 30), DONE, 100, "2024-10-30"),
        ("KH24-41", "Đang thực hiện", 90, None, DOING, 90, None),
        ("KH24-42", "Đang thực hiện", 50, None, DOING, 50, None),
    ]
    for i, (code, word, pct, when, state, progress, done_on) in enumerate(rows, start=1):
        info = cat.check_lead(code, "Sở Khoa học và Công nghệ")
        r.task(sh, [i, info.text, "Sở Thông tin và Truyền thông", word, pct, when], code, ("h8",), state, progress,
               completed_on=done_on)
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."], ["GIÁM ĐỐC", "", "", "Lê Tấn Thảo"], right_col=4)
    return CorpusFile("12_stttt_2024_ten_cu.xlsx", "Sở Thông tin và Truyền thông (cũ), quý IV/2024, không chọn cơ quan",
                      book.bytes(), None, None, r.truth)


def skhdt_2024_chon_tren_trang(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Sheet1", 7)
    _title(sh, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Số: 5012/BC-SKHĐT", "Khánh Hòa, ngày 18 tháng 12 năm 2024",
           "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính quý IV năm 2024", "")
    sh.header(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành",
               "Văn bản/sản phẩm"])
    rows: list[tuple[str, str, object, object, str | None, float | None, str | None]] = [
        ("KH24-06", "Đã hoàn thành", 100, "05/12/2024", DONE, 100, "2024-12-05"),
        ("KH24-07", "Đang thực hiện", 85, None, DOING, 85, None),
        ("KH24-09", "Đã hoàn thành", 100, dt.datetime(2024, 11, 22), DONE, 100, "2024-11-22"),
        ("KH24-10", "Chưa thực hiện", 0, None, NOT_STARTED, 0, None),
        ("KH24-47", "Đang thực hiện", "45%", None, DOING, 45, None),
    ]
    for i, (code, word, pct, when, state, progress, done_on) in enumerate(rows, start=1):
        info = cat.check_lead(code, "Sở Tài chính")
        r.task(sh, [i, info.text, "Sở Kế hoạch và Đầu tư", word, pct, when, None], code, ("h8",), state, progress,
               completed_on=done_on)
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT, VP."],
                ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Hồ Văn Mừng"], right_col=5)
    return CorpusFile("13_skhdt_2024_chon_tren_trang.xlsx",
                      "Sở Kế hoạch và Đầu tư (cũ), quý IV/2024, tên cũ chọn trên trang",
                      book.bytes(), "Sở Kế hoạch và Đầu tư", "2024-Q4", r.truth)


def svhtt_ten_cu_dau_trang(cat: Catalogue) -> CorpusFile:
    """A 2025 return whose letterhead still carries a pre-merger name (last year's file reused)."""
    r = _Rows(cat)
    book = Book()
    VH = "Sở Văn hóa, Thể thao và Du lịch"
    sh = book.sheet("Báo cáo quý 3", 6)
    _title(sh, "SỞ VĂN HÓA VÀ THỂ THAO", "Số: 1845/BC-SVHTT", "Khánh Hòa, ngày 27 tháng 9 năm 2025",
           "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III/2025", "")
    sh.header(["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ghi chú"])
    rows: list[tuple[str, str, object, str | None, float | None]] = [
        ("PS25-17", "Đang thực hiện", 70, DOING, 70), ("PS25-18", "Đã hoàn thành", 100, DONE, 100),
        ("PS25-21", "Đang thực hiện", 80, DOING, 80), ("PS25-24", "Đang thực hiện", 55, DOING, 55),
        ("PS25-49", "Chưa thực hiện", 0, NOT_STARTED, 0), ("PS25-59", "Đang thực hiện", 40, DOING, 40),
    ]
    for i, (code, word, pct, state, progress) in enumerate(rows, start=1):
        cat.check_lead(code, VH)
        r.task(sh, [i, code, cat.text(code), word, pct, None], code, ("h8",), state, progress)
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Phan Thị Hạnh"], right_col=4)
    return CorpusFile("14_svhtt_ten_cu_dau_trang.xlsx",
                      "Sở VHTT&DL, quý III/2025, đầu trang còn tên 'Sở Văn hóa và Thể thao'",
                      book.bytes(), VH, Q3_25, r.truth)


# --- 9: signature blocks ----------------------------------------------------------------------


def bqlkkt_chu_ky(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    BQL = "Ban Quản lý Khu kinh tế Vân Phong"
    sh = book.sheet("BC CCHC Q3", 7)
    sh.letterhead(UPPER_SHORT, "BAN QUẢN LÝ KHU KINH TẾ VÂN PHONG", "Số: 733/BC-KKT", "Khánh Hòa, ngày 30 tháng 9 năm 2025")
    sh.merged("BÁO CÁO")
    sh.merged("Kết quả thực hiện nhiệm vụ cải cách hành chính quý III/2025")
    sh.blank()
    sh.header(["STT", "Nhiệm vụ", "Mã nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành", "Ghi chú"])
    rows: list[tuple[str, str, object, object, str | None, float | None, str | None]] = [
        ("PS25-17", "Đang thực hiện", 75, None, DOING, 75, None),
        ("PS25-18", "Đã hoàn thành", 100, "12/08/2025", DONE, 100, "2025-08-12"),
        ("PS25-21", "Đang thực hiện", 90, None, DOING, 90, None),
        ("PS25-23", "Đang thực hiện", 85, None, DOING, 85, None),
        ("PS25-36", "Đang thực hiện", 58, None, DOING, 58, None),
        ("PS25-42", "Chưa thực hiện", 0, None, NOT_STARTED, 0, None),
        ("PS25-58", "Đang thực hiện", 30, None, DOING, 30, None),
    ]
    for i, (code, word, pct, when, state, progress, done_on) in enumerate(rows, start=1):
        cat.check_lead(code, BQL)
        r.task(sh, [i, cat.text(code), code, word, pct, when, None], code, ("tidy",), state, progress,
               completed_on=done_on)
    # 'Nơi nhận' in the task column and the signer's title under the status column.
    r.signature(sh, ["Nơi nhận:", "- Sở Nội vụ (b/c);", "- Trưởng Ban (b/c);", "- Các phòng, đơn vị thuộc Ban;",
                     "- Lưu: VT, VP."],
                ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "", "(Đã ký)", "Nguyễn Hữu Phước"], right_col=4)
    sh.blank()
    r.other(sh, [None, "Người lập biểu: Trần Thị Kim Oanh - ĐT: 0258.3822.xxx"], ("h9",), "dòng người lập biểu")
    return CorpusFile("15_bqlkkt_chu_ky.xlsx", "BQL KKT Vân Phong: 'Nơi nhận' trong cột nhiệm vụ, ký 'KT. TRƯỞNG BAN'",
                      book.bytes(), BQL, Q3_25, r.truth)


# --- 10: Word tables pasted into Excel ---------------------------------------------------------


def _split(text: str, parts: int) -> list[str]:
    """A cell's text as Excel pastes a Word cell of several paragraphs: one row per paragraph.
    The paragraphs break after a ';', ':' or ',' (where the drafter pressed Enter), near equal parts."""
    cuts = [i + 1 for i, ch in enumerate(text) if ch in ";:," and i + 1 < len(text) and text[i + 1] == " "]
    chosen: list[int] = []
    for k in range(1, parts):
        target = len(text) * k // parts
        last = chosen[-1] if chosen else 0
        free = [c for c in cuts if c - last >= 40 and len(text) - c >= 40]
        if free:
            chosen.append(min(free, key=lambda c: abs(c - target)))
    bounds = [0, *chosen, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def sgddt_dan_tu_word(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    GD = "Sở Giáo dục và Đào tạo"
    sh = book.sheet("Sheet1", 6)
    _title(sh, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 2674/BC-SGDĐT", "Khánh Hòa, ngày 29 tháng 9 năm 2025",
           "Kết quả thực hiện nhiệm vụ cải cách hành chính Quý III năm 2025", "")
    sh.header(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Kết quả thực hiện", "Ngày hoàn thành", "Ghi chú"])
    rows: list[tuple[str, int, str, str, str | None, float | None, str | None, str]] = [
        ("PS25-17", 1, "Đã hoàn thành", "ngày 15 tháng 8 năm 2025", DONE, None, "2025-08-15", ""),
        ("PS25-60", 2, "Đang thực hiện", "Dự kiến 30/12/2025", DOING, None, None,
         "'Dự kiến' là ngày dự kiến: chưa hoàn thành"),
        ("PS25-63", 3, "Hoàn thành", "15/08/25", DONE, None, "2025-08-15", ""),
        ("PS25-64", 2, "Đã hoàn thành", "Ngày 10/9/2025", DONE, None, "2025-09-10", ""),
        ("PS25-61", 2, "Đã hoàn thành", "20/7/2025 (QĐ số 1520/QĐ-SGDĐT)", DONE, None, "2025-07-20", ""),
        ("PS25-18", 1, "Đang thực hiện", "", DOING, None, None, ""),
        ("PS25-23", 2, "Đang thực hiện, đạt 85%", "", DOING, 85, None, ""),
    ]
    for i, (code, parts, result, when, state, progress, done_on, note) in enumerate(rows, start=1):
        info = cat.check_lead(code, GD)
        pieces = _split(info.text, parts) if parts > 1 else [info.text]
        r.task(sh, [f"{i}.", pieces[0], GD if i % 2 else "Sở GD&ĐT", result, when or None, None], code, ("h10",),
               state, progress, completed_on=done_on, note=note or ("nội dung tách nhiều dòng" if parts > 1 else ""))
        for piece in pieces[1:]:
            r.other(sh, [None, piece], ("h10",), f"dòng tiếp theo của {code} (dán từ Word)")
    r.signature(sh, NOI_NHAN, ["Q. GIÁM ĐỐC", "", "", "Lê Văn Tuấn"], right_col=4)
    return CorpusFile("16_sgddt_dan_tu_word.xlsx", "Sở GD&ĐT: bảng Word dán vào Excel, ngày viết nhiều kiểu",
                      book.bytes(), GD, Q3_25, r.truth)


# --- 11: retyped or abridged texts -----------------------------------------------------------------


def snnmt_go_lai_viet_tat(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    NN = "Sở Nông nghiệp và Môi trường"
    sh = book.sheet("Báo cáo", 5)
    _title(sh, "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Số: 6021/BC-SNNMT", "Khánh Hòa, ngày 30 tháng 9 năm 2025",
           "KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC QUÝ III/2025", "")
    sh.header(["STT", "Nhiệm vụ", "Chủ trì", "Tình trạng", "Tỷ lệ (%)"])
    retyped: list[tuple[str, str, str, str | None, float | None, str]] = [
        ("PS25-21", "Công khai thủ tục hành chính tại trụ sở và trang thông tin điện tử của cơ quan trực tiếp tiếp nhận, "
         "giải quyết TTHC", "Đang thực hiện", DOING, 85, "TTHC <-> thủ tục hành chính đổi chỗ"),
        ("PS25-04", "Sáng kiến hoặc giải pháp mới trong cải cách hành chính", "Đang thực hiện", DOING, 50,
         "CCHC viết đầy đủ"),
        ("PS25-63", "Tổ chức đánh giá CBCC tham gia giải quyết hồ sơ TTHC theo Kết luận 91-KL/TU của Ban Thường vụ "
         "Tỉnh ủy", "Đã hoàn thành", DONE, 100, "viết tắt CBCC, bỏ bớt chữ"),
        ("PS25-61", "Rà soát và bố trí CBCCVC có đủ năng lực chuyên môn, có đạo đức tốt, có kỹ năng và kinh nghiệm "
         "giao tiếp làm việc tại Bộ phận Một cửa", "Đã hoàn thành", DONE, 100, "CBCCVC, câu rút gọn"),
        ("PS25-46", "3. Thực hiện trao đổi văn bản giữa các cơ quan hành chính nhà nước dưới dạng điện tử theo "
         "Quyết định số 04/2021/QĐ-UBND của UBND tỉnh", "Đang thực hiện", DOING, 90, "số thứ tự trong ô, bỏ ngày QĐ"),
        ("PS25-58", "Tiếp tục rà soát, đề xuất phương án đơn giản hoá TTHC, giảm số lượng giấy tờ", "Đang thực hiện",
         DOING, 40, "bỏ bớt chữ cuối câu"),
        ("PS25-29", "Thực hiện phân cấp gắn với quyền hạn và trách nhiệm theo Nghị quyết 99/NQ-CP của Chính phủ",
         "Đang thực hiện", DOING, 60, "bỏ 'số' và ngày"),
        ("PS25-37", "Thực hiện qui định về việc sử dụng kinh phí chi thường xuyên nguồn từ ngân sách nhà nước",
         "Đang thực hiện", DOING, 75, "'qui' thay 'quy'"),
    ]
    verbatim: list[tuple[str, str, str | None, float | None]] = [
        ("PS25-17", "Đang thực hiện", DOING, 70), ("PS25-18", "Đã hoàn thành", DONE, 100),
        ("PS25-22", "Chưa thực hiện", NOT_STARTED, 0), ("PS25-44", "Đang thực hiện", DOING, 65),
        ("PS25-24", "Đang thực hiện", DOING, 80), ("PS25-36", "Đang thực hiện", DOING, 62),
    ]
    n = 0
    for code, word, state, progress in verbatim[:3]:
        n += 1
        cat.check_lead(code, NN)
        r.task(sh, [n, cat.text(code), NN, word, progress], code, ("tidy",), state, progress)
    for code, text, word, state, progress, note in retyped:
        n += 1
        cat.check_lead(code, NN)
        r.task(sh, [n, text, NN, word, progress], code, ("h11",), state, progress, certain=False, note=note)
    for code, word, state, progress in verbatim[3:]:
        n += 1
        cat.check_lead(code, NN)
        r.task(sh, [n, cat.text(code), "Sở NN&MT", word, progress], code, ("tidy",), state, progress)
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Đỗ Hữu Nghĩa"], right_col=4)
    return CorpusFile("17_snnmt_go_lai_viet_tat.xlsx", "Sở NN&MT: nội dung gõ lại, viết tắt, bỏ bớt chữ (không mã)",
                      book.bytes(), NN, Q3_25, r.truth)


# --- a tidy return that uses every number format ----------------------------------------------------


def snv_bao_cao_gon(cat: Catalogue) -> CorpusFile:
    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Biểu 01", 8)
    _title(sh, "SỞ NỘI VỤ", "Số: 1301/BC-SNV", "Khánh Hòa, ngày 30 tháng 9 năm 2026",
           "TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ CCHC QUÝ III VÀ 9 THÁNG ĐẦU NĂM 2026", "")
    sh.header2(["STT", "Mã số", "Nhiệm vụ", "Đơn vị chủ trì", "Kết quả", None, None, "Văn bản/sản phẩm"],
               [None, None, None, None, "Tình trạng", "% hoàn thành", "Ngày hoàn thành", None])
    serial = _serial(dt.date(2026, 7, 15))
    rows: list[tuple[str, str, str, object, object, str | None, float | None, str | None, str]] = [
        ("SNV26-P1-01", P_LDVL, "Đã hoàn thành", 1, dt.datetime(2026, 3, 25), DONE, 100, "2026-03-25", ""),
        ("SNV26-P1-02", P_LDVL, "HT", "100%", "28/03/2026", DONE, 100, "2026-03-28", "'HT' viết tắt"),
        ("SNV26-P1-03", P_TCBC, "đang triển khai", 0.6, None, DOING, 60, None, "0,6 định dạng %"),
        ("SNV26-P1-04", P_XDCQ, "Đang thực hiện", "75%", None, DOING, 75, None, ""),
        ("SNV26-P1-05", P_XDCQ, "Đang thực hiện", 45, None, DOING, 45, None, ""),
        ("SNV26-P1-07", P_TCBC, "Đang thực hiện", "60,5", None, DOING, 60.5, None, ""),
        ("SNV26-P1-09", P_TCBC, "Hoàn thành", 100, serial, DONE, 100, "2026-07-15", "ngày dạng số sê-ri"),
        ("SNV26-P1-11", P_PC, "Đang thực hiện", 50, None, DOING, 50, None, ""),
        ("SNV26-P1-12", P_TCBC, "Đã hoàn thành", 100, "15/07/2026", DONE, 100, "2026-07-15", ""),
        ("SNV26-P1-14", P_TCBC, "Chưa thực hiện", 0, None, NOT_STARTED, 0, None, ""),
        ("SNV26-P1-15", P_TCBC, "Đang thực hiện", 30, None, DOING, 30, None, ""),
        ("SNV26-P1-16", P_LDVL, "Đã hoàn thành", 100, dt.datetime(2026, 3, 30), DONE, 100, "2026-03-30", ""),
        ("SNV26-P1-22", P_CCHC, "Đã hoàn thành", 100, dt.datetime(2026, 3, 20), DONE, 100, "2026-03-20", ""),
        ("SNV26-P1-24", P_CCHC, "Đang thực hiện", 65, None, DOING, 65, None, ""),
        ("SNV26-P1-25", P_CCHC, "Đang thực hiện", 70, None, DOING, 70, None, ""),
        ("SNV26-P2-01", P_PC, "Đã hoàn thành", 100, dt.datetime(2026, 1, 28), DONE, 100, "2026-01-28", ""),
        ("SNV26-P2-23", P_XDCQ, "Đang thực hiện", 40, None, DOING, 40, None, ""),
        ("SNV26-P2-24", P_XDCQ, "Đang thực hiện", 90, None, DOING, 90, None, ""),
        ("SNV26-P2-38", VPS, "Đang thực hiện", 55, None, DOING, 55, None, ""),
    ]
    for i, (code, lead, word, pct, when, state, progress, done_on, note) in enumerate(rows, start=1):
        cat.check_lead(code, lead)
        text = cat.text(code)
        if i % 4 == 0:
            text = "  " + text.replace(", ", ",\n", 1) + " "  # stray spaces and a line break inside the cell
        r.task(sh, [i, code, text, lead, word, pct, when, None], code, ("tidy", "x_numbers"), state, progress,
               completed_on=done_on, note=note)
        if isinstance(pct, float):
            sh.ws.cell(row=sh.next - 1, column=6).number_format = "0%"
        if isinstance(when, int):
            sh.ws.cell(row=sh.next - 1, column=7).number_format = "General"
    sh.blank()
    rows_sig = sh.signature(["NGƯỜI LẬP BIỂU", "", "", "", "Phạm Thị Lan"],
                            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Lê Thị Thu Hà"], left_col=3, right_col=6)
    for row in rows_sig:
        r.truth.append(Truth(sh.ws.title, row, None, ("h9",), note="người lập biểu / ký", recordable=False))
    return CorpusFile("18_snv_bao_cao_gon.xlsx", "Sở Nội vụ: báo cáo gọn có mã, tiêu đề hai dòng, số và ngày nhiều kiểu",
                      book.bytes(), SNV, Q3, r.truth)


# --- the Sở Nội vụ plan table copied, lead cells merged down several rows ---------------------------


def snv_phan_cong_gop_o(cat: Catalogue) -> CorpusFile:
    """The appendix of the Sở Nội vụ 2026 plan (seed 004, lines 1-40: 'TT | Nhiệm vụ | Kết quả/sản
    phẩm đạt được | Tiến độ | Phân công (cơ quan chủ trì/cơ quan phối hợp) và cách thức thực hiện')
    copied, the lead cell merged down over the rows one division leads, two columns added."""
    import unicodedata

    r = _Rows(cat)
    book = Book()
    sh = book.sheet("Phần 1", 7)
    _title(sh, "SỞ NỘI VỤ", "Số:       /BC-SNV", "Khánh Hòa, ngày 30 tháng 9 năm 2026",
           "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2026 - QUÝ III/2026",
           "Phần 1. THAM MƯU THỰC HIỆN CCHC THEO SỰ PHÂN CÔNG CỦA TỈNH")
    sh.header(["TT", "Nhiệm vụ", "Kết quả/sản phẩm đạt được", "Tiến độ",
               "Phân công (cơ quan chủ trì/cơ quan phối hợp) và cách thức thực hiện", "Kết quả thực hiện", "Tỷ lệ (%)"])
    r.other(sh, ["III", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC"], ("x_section",), "đề mục", bold=True)
    lead = f"{P_TCBC} chủ trì, phối hợp các sở, ban, ngành và Ủy ban nhân dân cấp xã"
    rows: list[tuple[str, str, float | None, str | None, str]] = [
        ("SNV26-P1-08", "Đang thực hiện", 70, DOING, "cùng nội dung SNV26-P2-30 (Văn phòng Sở): ô chủ trì gộp"),
        ("SNV26-P1-09", "Đang thực hiện", 60, DOING, "cùng nội dung SNV26-P2-31 (Văn phòng Sở): ô chủ trì gộp"),
        ("SNV26-P1-10", "Đang thực hiện", 65, DOING, "cùng nội dung SNV26-P2-32 (Văn phòng Sở): ô chủ trì gộp"),
        ("SNV26-P1-14", "Chưa thực hiện", None, NOT_STARTED,
         "cùng nội dung SNV26-P2-34 (Văn phòng Sở): ô chủ trì gộp; nội dung ở dạng Unicode tổ hợp (NFD)"),
    ]
    first = sh.next
    for i, (code, result, pct, state, note) in enumerate(rows, start=1):
        info = cat.check_lead(code, P_TCBC)
        body = unicodedata.normalize("NFD", info.text) if code == "SNV26-P1-14" else info.text
        r.task(sh, [i, body, info.output, info.deadline, lead if i == 1 else None, result, pct], code,
               ("x_merged_lead", "h7", "h2"), state, pct, note=note)
    sh.ws.merge_cells(start_row=first, start_column=5, end_row=sh.next - 1, end_column=5)
    r.other(sh, ["IV", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"], ("x_section",), "đề mục", bold=True)
    first = sh.next
    for i, (code, result, pct, state) in enumerate([
        ("SNV26-P1-12", "Đã ban hành Kế hoạch, đang tổ chức các lớp bồi dưỡng", None, DOING),
        ("SNV26-P1-13", "Đang thực hiện", 50.0, DOING),
        ("SNV26-P1-15", "Đã hoàn thành dự thảo Kế hoạch tuyển dụng, đang trình UBND tỉnh", None, DOING),
    ], start=1):
        info = cat.check_lead(code, P_TCBC)
        r.task(sh, [i, info.text, info.output, info.deadline, lead if i == 1 else None, result, pct], code,
               ("x_merged_lead", "h7", "h3"), state, pct,
               note="cùng nội dung SNV26-P2-33 (Văn phòng Sở): ô chủ trì gộp" if code == "SNV26-P1-13" else "")
    sh.ws.merge_cells(start_row=first, start_column=5, end_row=sh.next - 1, end_column=5)
    r.signature(sh, NOI_NHAN, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Lê Thị Thu Hà"], right_col=6)
    return CorpusFile("19_snv_phan_cong_gop_o.xlsx",
                      "Sở Nội vụ: bảng phụ lục kế hoạch 2026 chép lại, ô 'Phân công' gộp nhiều dòng",
                      book.bytes(), SNV, Q3, r.truth)


BUILDERS: list[Callable[[Catalogue], CorpusFile | list[CorpusFile]]] = [
    snv_ma_mau_thuan, snv_trung_ke_hoach, stp_tinh_trang_bang_loi, stc_ket_qua_va_ty_le, syt_huong_dan_dong_an,
    sdttg_sheet_an_trung, sct_danh_dau_x, sxd_hai_quy, vpubnd_nhiem_vu_cu_the, ttr_noi_dung_cong_viec,
    skhcn_nhiem_vu_giai_phap, stttt_2024_ten_cu, skhdt_2024_chon_tren_trang, svhtt_ten_cu_dau_trang, bqlkkt_chu_ky,
    sgddt_dan_tu_word, snnmt_go_lai_viet_tat, snv_bao_cao_gon, snv_phan_cong_gop_o,
]

# The file applied for real by the test (after its dry run and decisions).
APPLY_FILE = "09_vpubnd_nhiem_vu_cu_the.xlsx"


# Who really reports for a file: the Sở's divisions report through it; a pre-merger name
# reports for its successor (Decision of 01/3/2025; see data_access's old-name table).
_REPORTS_FOR: dict[str, tuple[str, ...]] = {
    SNV: (SNV, P_CCHC, P_TCBC, P_XDCQ, P_LDVL, P_PC, VPS),
    "Sở Kế hoạch và Đầu tư": ("Sở Tài chính",),
}
# Files with no agency chosen: the agency the file itself declares.
_DECLARED: dict[str, str] = {"12_stttt_2024_ten_cu.xlsx": "Sở Khoa học và Công nghệ"}


def _check_leads(cat: Catalogue, cf: CorpusFile) -> None:
    """Every task row of a return reports on a task its agency really leads in the store (a
    row about a task the agency only coordinates would make the truth table a lie)."""
    agency = cf.agency or _DECLARED[cf.name]
    for t in cf.truth:
        if t.task is not None:
            cat.check_lead(t.task, *_REPORTS_FOR.get(agency, (agency,)))


def build_corpus(engine: Engine) -> list[CorpusFile]:
    """Every return of the corpus, built from the tasks of the store behind `engine` (deterministic)."""
    cat = Catalogue(engine)
    out: list[CorpusFile] = []
    for build in BUILDERS:
        made = build(cat)
        out.extend(made if isinstance(made, list) else [made])
    for cf in out:
        _check_leads(cat, cf)
    return out
