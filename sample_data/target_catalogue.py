"""The quantified targets of the province's documents, each bound to an indicator of the same definition.

Every target carries a verbatim quote of its document (`sample_data/seeds/*.txt`); the builder
finds the quote's line(s) with `locate` and refuses to build when a quote is not in its
document, so no quote is ever composed. Figures the documents state (results, ratings) are
in `SEED_VALUES` with their own quotes. tests/test_fidelity.py pins file, line and conclusion.

Scope: the targets for 2025 and 2026 of the five documents (and the 2024 plan's targets, for
history). Directions for 2030 are not targets of a year and are left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "seeds"
S000 = "000_45084b02456adb36.txt"  # Mục tiêu CCHC 6 tháng cuối năm 2025 (QĐ UBND tỉnh, 7/2025)
S001 = "001_fb3c06f5023b1873.txt"  # Báo cáo sơ kết 05 năm CCHC 2021-2025
S002 = "002_fd824fa072a35cf2.txt"  # Kế hoạch 5399/KH-UBND nâng cao PAR INDEX, SIPAS năm 2025
S003 = "003_711db4bd8a55f7ba.txt"  # Kế hoạch CCHC năm 2024 (QĐ 3049/QĐ-UBND)
S004 = "004_e5a04f5847edf0c4.txt"  # Kế hoạch CCHC năm 2026 của Sở Nội vụ
DOCUMENTS = {
    S000: "Mục tiêu CCHC 6 tháng cuối năm 2025 (QĐ UBND tỉnh, 7/2025)",
    S001: "Báo cáo sơ kết 05 năm CCHC 2021-2025",
    S002: "5399/KH-UBND",
    S003: "3049/QĐ-UBND",
    S004: "Kế hoạch CCHC năm 2026 của Sở Nội vụ",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@cache
def _seed(name: str) -> tuple[str, tuple[int, ...]]:
    """The document as one whitespace-collapsed string and, per character, its 1-based line."""
    chars: list[str] = []
    lines: list[int] = []
    for number, raw in enumerate((SEEDS / name).read_text(encoding="utf-8").splitlines(), start=1):
        text = _norm(raw)
        if not text:
            continue
        if chars:
            chars.append(" ")
            lines.append(number)
        chars.extend(text)
        lines.extend([number] * len(text))
    return "".join(chars), tuple(lines)


def locate(seed: str, quote: str, near: int | None = None) -> tuple[int, int]:
    """(first line, last line) of `quote` in document `seed` (whitespace and line breaks collapsed).

    With `near`, the first occurrence starting at or after that line. Raises ValueError when absent.
    """
    text, lines = _seed(seed)
    wanted = _norm(quote)
    start = 0
    while True:
        at = text.find(wanted, start)
        if at < 0:
            raise ValueError(f"Quote not in {seed}: {quote!r}")
        if near is None or lines[at] >= near:
            return lines[at], lines[at + len(wanted) - 1]
        start = at + 1


def line_text(seed: str, first: int, last: int | None = None) -> str:
    """Lines first..last of a document, whitespace-collapsed (what `locate` searches)."""
    raw = (SEEDS / seed).read_text(encoding="utf-8").splitlines()[first - 1:(last or first)]
    return _norm(" ".join(raw))


@dataclass(frozen=True)
class Ind:
    """An indicator the appendices do not carry, defined by the goal's own wording."""

    code: str
    name: str
    field: str
    unit: str = "%"
    direction: str = "up"
    # No generated value: the document rates the goal as a whole (e.g. Phụ lục 9 mục 10, Không đạt),
    # so a generated "Đạt" for one half would contradict it.
    no_sample: bool = False


@dataclass(frozen=True)
class Tgt:
    code: str
    indicator: str
    year: int
    comparator: str
    value: float
    seed: str
    quote: str
    label: str
    near: int | None = None
    base_year: int | None = None
    alternatives: tuple[tuple[str, str, float], ...] = ()  # (indicator, comparator, value)
    deadline: str | None = None  # ISO date when the document fixes one
    official: tuple[str, str] | None = None  # (rating code, the document's result with citation)
    note: str = ""


@dataclass(frozen=True)
class SeedValue:
    """A figure a document states, stored as a value of its indicator (not sample)."""

    indicator: str
    period: str
    value: float
    seed: str
    quote: str
    near: int | None = None
    derived: bool = False  # computed from stated figures (the arithmetic is in `how`)
    how: str = ""


INDICATORS = [
    Ind("PCI_RANK", "Xếp hạng Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI)", "TC", "hạng/63", "down"),
    Ind("PAPI_RANK", "Xếp hạng Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)", "CDDH", "hạng/63", "down"),
    Ind("DTI_RANK", "Xếp hạng Chỉ số Chuyển đổi số (DTI)", "CQS", "hạng/63", "down"),
    Ind("PII_RANK", "Xếp hạng Chỉ số Đổi mới sáng tạo (PII)", "CDDH", "hạng/63", "down"),
    Ind("DKKD_BAI_BO", "Tỷ lệ điều kiện đầu tư kinh doanh không cần thiết được bãi bỏ", "TTHC"),
    Ind("DKKD_CAT_GIAM", "Tỷ lệ điều kiện đầu tư kinh doanh không cần thiết được cắt giảm, đơn giản hóa", "TTHC"),
    Ind("GIAM_THOI_GIAN", "Tỷ lệ cắt giảm thời gian giải quyết TTHC (liên quan sản xuất, kinh doanh)", "TTHC"),
    Ind("GIAM_CHI_PHI", "Tỷ lệ cắt giảm chi phí tuân thủ TTHC", "TTHC"),
    Ind("TTHC_DN_TRUC_TUYEN", "Tỷ lệ TTHC liên quan đến doanh nghiệp được thực hiện trực tuyến", "TTHC"),
    Ind("TTHC_PHI_DIA_GIOI", "Tỷ lệ TTHC thực hiện không phụ thuộc địa giới hành chính trong tỉnh", "TTHC"),
    Ind("TTHC_NOI_BO", "Tỷ lệ TTHC nội bộ được rà soát, sửa đổi, hoàn thiện", "TTHC"),
    Ind("TTHC_NOI_BO_CONG_BO", "Tỷ lệ TTHC nội bộ được công bố, công khai và cập nhật kịp thời", "TTHC"),
    Ind("HS_LUAN_CHUYEN_DT", "Tỷ lệ hồ sơ TTHC luân chuyển nội bộ bằng phương thức điện tử", "TTHC"),
    Ind("TTHC_TRUC_TUYEN", "Tỷ lệ TTHC đủ điều kiện được cung cấp trực tuyến (toàn trình hoặc một phần)", "CQS"),
    Ind("HS_TT_TONG", "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ TTHC", "CQS"),
    Ind("HL_DAT_DAI", "Mức độ hài lòng về giải quyết TTHC lĩnh vực đất đai, xây dựng, đầu tư", "SIPAS"),
    Ind("HL_YTE_GD", "Mức độ hài lòng về cung cấp dịch vụ y tế, giáo dục công lập", "SIPAS"),
    Ind("GIAM_DVSN", "Tỷ lệ giảm số đơn vị sự nghiệp công lập so với năm 2021", "TCBM"),
    Ind("GIAM_BC_SN", "Tỷ lệ giảm biên chế sự nghiệp hưởng lương từ NSNN so với năm 2021", "TCBM",
        no_sample=True),
    Ind("DVSN_TU_CHU", "Tỷ lệ đơn vị sự nghiệp công lập tự bảo đảm chi thường xuyên", "TCC"),
    Ind("DVSN_KT_CHUYEN_DOI", "Tỷ lệ ĐVSN kinh tế và sự nghiệp khác đủ điều kiện hoàn thành chuyển đổi", "TCC"),
    Ind("HOP_TRUC_TUYEN_TINH", "Tỷ lệ cuộc họp của UBND cấp tỉnh qua Hệ thống thông tin phục vụ họp của Chính phủ",
        "CQS"),
    Ind("HSCV_MANG_TINH", "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng", "CQS"),
    Ind("KIEM_TRA_SO", "Tỷ lệ hoạt động kiểm tra thực hiện qua môi trường số", "CQS"),
    Ind("KIEM_TRA_CCHC", "Tỷ lệ cơ quan, đơn vị được kiểm tra CCHC trong năm", "CDDH"),
    Ind("KH_KIEM_TRA", "Tỷ lệ hoàn thành Kế hoạch kiểm tra CCHC", "CDDH"),
    Ind("NV_CP_GIAO", "Tỷ lệ nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao hoàn thành đúng tiến độ", "CDDH"),
    Ind("SANG_KIEN", "Số sáng kiến, giải pháp mới trong CCHC của mỗi cơ quan, đơn vị, địa phương", "CDDH",
        "sáng kiến"),
    Ind("PHIEU_KS_PAR", "Tỷ lệ phiếu khảo sát cán bộ, lãnh đạo quản lý (chấm điểm PAR INDEX) hoàn thành", "CDDH"),
    Ind("VB_TRAI_LUAT_KT", "Tỷ lệ văn bản có dấu hiệu trái luật được kiểm tra theo thẩm quyền", "TC"),
    Ind("VB_TRAI_LUAT_XL", "Tỷ lệ văn bản trái pháp luật do cơ quan có thẩm quyền kiến nghị được xử lý", "TC"),
    Ind("VB_CSDL_PL", "Tỷ lệ văn bản được cập nhật lên cơ sở dữ liệu quốc gia về pháp luật", "TC"),
    Ind("NGAY_DANG_TTHC", "Thời hạn nhập, đăng tải TTHC vào CSDL quốc gia sau quyết định công bố", "TTHC",
        "ngày làm việc", "down"),
    Ind("TTHC_CONG_KHAI", "Tỷ lệ TTHC được công khai đầy đủ, đúng quy định", "TTHC"),
    Ind("PAKN_XU_LY", "Tỷ lệ phản ánh, kiến nghị về TTHC được tiếp nhận, xử lý và công khai", "TTHC"),
    Ind("VAN_DE_PHAN_CAP", "Tỷ lệ vấn đề phát hiện qua thanh tra, kiểm tra nhiệm vụ phân cấp được xử lý", "TCBM"),
    Ind("VTVL_BAN_MO_TA", "Tỷ lệ cơ quan, tổ chức hoàn thành Bản mô tả công việc và Khung năng lực", "CV"),
    Ind("VTVL_BO_TRI", "Tỷ lệ công chức, viên chức được bố trí đúng vị trí việc làm", "CV"),
    Ind("CBCC_XA_CHUAN", "Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn", "CV"),
    Ind("KY_LUAT", "Số CBCCVC của tỉnh bị kỷ luật từ mức khiển trách trở lên", "CV", "người", "down"),
    Ind("KINH_PHI_DUNG", "Tỷ lệ đơn vị thực hiện đúng quy định về sử dụng kinh phí NSNN", "TCC"),
    Ind("KIEN_NGHI_KT", "Tỷ lệ kiến nghị sau thanh tra, kiểm tra, kiểm toán được thực hiện", "TCC"),
    Ind("QC_TAI_SAN", "Tỷ lệ cơ quan, đơn vị ban hành Quy chế quản lý, sử dụng tài sản công", "TCC"),
    Ind("NHA_DAT", "Tỷ lệ cơ sở nhà, đất thuộc sở hữu nhà nước được phê duyệt phương án sắp xếp lại", "TCC"),
    Ind("DVSN_TU_CHU_MOT_PHAN", "Số ĐVSNCL được giao tự chủ ở mức tự bảo đảm một phần chi thường xuyên trong năm",
        "TCC", "đơn vị"),
    Ind("NDXP", "Tỷ lệ dịch vụ dữ liệu chia sẻ trên NDXP được kết nối tích hợp", "CQS"),
    Ind("VB_DIEN_TU", "Tỷ lệ văn bản hành chính trong danh mục gửi nhận hoàn toàn dưới dạng điện tử", "CQS"),
    Ind("DVCTT_TICH_HOP", "Tỷ lệ DVCTT, thanh toán trực tuyến của tỉnh tích hợp trên Cổng DVC quốc gia", "CQS"),
    Ind("HS_TTTT_TONG", "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ giải quyết TTHC", "CQS"),
    Ind("KTXH", "Tỷ lệ mục tiêu, nhiệm vụ phát triển KT-XH năm do HĐND tỉnh giao được hoàn thành", "TD"),
    Ind("VON_DAU_TU", "Tổng vốn đăng ký thu hút đầu tư trong năm", "TD", "tỷ đồng"),
    Ind("DN_MOI_TANG", "Tỷ lệ tăng số doanh nghiệp thành lập mới so với năm trước", "TD"),
    Ind("VON_DN_TANG", "Tỷ lệ tăng vốn đăng ký của doanh nghiệp so với năm trước", "TD"),
    Ind("DN_THU_NS", "Đóng góp của khu vực doanh nghiệp vào thu ngân sách tỉnh", "TD", "tỷ đồng"),
    Ind("DUNG_QUY_TRINH", "Tỷ lệ cơ quan, đơn vị, địa phương thực hiện đúng quy trình giải quyết TTHC", "SIPAS"),
    Ind("GOP_Y_XU_LY", "Tỷ lệ góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý kịp thời và thông báo kết quả",
        "SIPAS"),
    Ind("HS_CONG_KHAI_TIEN_DO", "Tỷ lệ hồ sơ TTHC được công khai tiến độ giải quyết trên trang TTĐT", "TTHC"),
    Ind("VC_DAT_CHUAN", "Tỷ lệ viên chức đạt chuẩn theo yêu cầu của vị trí việc làm", "CV"),
    Ind("HTQLCL_KT_TINH", "Tỷ lệ CQHCNN cấp tỉnh được kiểm tra trực tiếp việc áp dụng HTQLCL", "CQS"),
    Ind("HTQLCL_KT_XA", "Tỷ lệ CQHCNN cấp xã được kiểm tra trực tiếp việc áp dụng HTQLCL", "CQS"),
    Ind("CSDL_QG_KET_NOI", "Tỷ lệ cơ sở dữ liệu quốc gia nền tảng Chính phủ điện tử được hoàn thành, kết nối", "CQS"),
    Ind("CONG_DVC_KET_NOI", "Tỷ lệ Cổng DVC, Hệ thống một cửa điện tử cấp tỉnh kết nối Cổng DVC quốc gia", "CQS"),
    Ind("DINH_DANH_DT", "Tỷ lệ người dân, doanh nghiệp dùng DVCTT được định danh, xác thực điện tử thông suốt", "CQS"),
    Ind("HTTT_KET_NOI", "Tỷ lệ hệ thống thông tin liên quan người dân, doanh nghiệp kết nối qua Trục liên thông", "CQS"),
    Ind("BAO_CAO_KET_NOI", "Tỷ lệ hệ thống báo cáo kết nối với Hệ thống thông tin báo cáo quốc gia", "CQS"),
    Ind("PHAN_HE_NHIEM_VU", "Tỷ lệ địa phương vận hành Phân hệ theo dõi nhiệm vụ", "CQS"),
    Ind("HSCV_MANG_XA", "Tỷ lệ hồ sơ công việc cấp xã được xử lý trên môi trường mạng", "CQS"),
    Ind("GIAM_PHONG", "Tỷ lệ giảm phòng chuyên môn, chi cục thuộc sở, ban, ngành", "TCBM"),
    Ind("TTHC_CONG_KHAI_CONG", "Tỷ lệ TTHC công khai trên Cổng TTĐT tỉnh, Hệ thống thông tin giải quyết TTHC", "TTHC"),
    Ind("KIEM_TRA_DV_SNV", "Tỷ lệ đơn vị thuộc Sở Nội vụ được kiểm tra CCHC trong năm", "CDDH"),
    Ind("NV_TRONG_TAM", "Tỷ lệ nhiệm vụ trọng tâm, đột phá được giao hoàn thành đúng tiến độ", "CDDH"),
]

P9 = "Phụ lục 9 của Báo cáo sơ kết 05 năm"
PAR_UP_NOTE = ("Hai mục tiêu xếp hạng PAR INDEX năm 2025 cùng hiệu lực: \"nhóm 15 tỉnh dẫn đầu\" (mục tiêu 6 tháng "
               "cuối năm 2025) và \"tăng 05 bậc trở lên so với năm 2024\" (KH 5399, năm 2024 hạng 10/63, nên cần "
               "hạng 5 trở lên). Bảng hiện cả hai.")

TARGETS = [
    # --- Mục tiêu CCHC 6 tháng cuối năm 2025 (seed 000) -------------------------------------------------
    Tgt("MT25-DKKD", "DKKD_BAI_BO", 2025, ">=", 30, S000,
        "bãi bỏ ít nhất 30% điều kiện đầu tư kinh doanh không cần thiết", "Bãi bỏ điều kiện đầu tư kinh doanh"),
    Tgt("MT25-THOIGIAN", "GIAM_THOI_GIAN", 2025, ">=", 30, S000,
        "giảm ít nhất 30% thời gian giải quyết của các thủ tục hành chính", "Giảm thời gian giải quyết TTHC"),
    Tgt("MT25-CHIPHI", "GIAM_CHI_PHI", 2025, ">=", 30, S000, "30% chi phí tuân thủ thủ tục hành chính",
        "Giảm chi phí tuân thủ TTHC"),
    Tgt("MT25-DN", "TTHC_DN_TRUC_TUYEN", 2025, "=", 100, S000,
        "100% thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến",
        "TTHC liên quan doanh nghiệp thực hiện trực tuyến"),
    Tgt("MT25-DIAGIOI", "TTHC_PHI_DIA_GIOI", 2025, "=", 100, S000,
        "100% thủ tục hành chính được thực hiện không phụ thuộc vào địa giới hành chính trong phạm vi của tỉnh",
        "TTHC không phụ thuộc địa giới hành chính",
        note="Đến 31/3/2025 mới có 2 TTHC thực hiện không phụ thuộc địa giới (Phụ lục 3, mục 3.6) trên 1.884 TTHC "
             "của tỉnh, tức khoảng 0,11%."),
    Tgt("MT25-SOHOA", "PL3-6.1", 2025, "=", 100, S000,
        "100% hồ sơ, kết quả giải quyết thủ tục hành chính được thực hiện số hóa", "Số hóa hồ sơ, kết quả TTHC",
        note="Hai số liệu quý I/2025 của cùng báo cáo khác nhau: Phụ lục 3 mục 6.1 ghi 69,04%, phần lời văn ghi "
             "79,18%. Bảng dùng số của Phụ lục 3 (cùng chuỗi số liệu các năm)."),
    Tgt("MT25-KQDT", "PL3-6.3", 2025, "=", 100, S000,
        "100% kết quả của các thủ tục hành chính được cung cấp đồng thời cả bản điện tử có giá trị pháp lý",
        "Kết quả TTHC cấp đồng thời bản điện tử"),
    Tgt("MT25-NOIBO", "TTHC_NOI_BO", 2025, "=", 100, S000,
        "100% thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước và trong từng cơ quan hành chính "
        "nhà nước được rà soát, sửa đổi, hoàn thiện", "TTHC nội bộ được rà soát, hoàn thiện"),
    Tgt("MT25-HLTTHC", "HL_GIAI_QUYET_TTHC", 2025, ">=", 90, S000,
        "Mức độ hài lòng của người dân, tổ chức, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%",
        "Hài lòng về giải quyết TTHC"),
    Tgt("MT25-PAR15", "PAR_RANK", 2025, "top", 15, S000,
        "Cải cách hành chính (PAR Index), Năng lực cạnh tranh cấp tỉnh (PCI), Hiệu quả Quản trị và Hành chính "
        "công cấp tỉnh (PAPI), Chuyển đổi số (DTI), Đổi mới sáng tạo (PII) trong nhóm 15 tỉnh",
        "PAR INDEX trong nhóm 15 tỉnh dẫn đầu", note=PAR_UP_NOTE),
    Tgt("MT25-PCI15", "PCI_RANK", 2025, "top", 15, S000, "Năng lực cạnh tranh cấp tỉnh (PCI)",
        "PCI trong nhóm 15 tỉnh dẫn đầu", near=109),
    Tgt("MT25-PAPI15", "PAPI_RANK", 2025, "top", 15, S000, "Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI)",
        "PAPI trong nhóm 15 tỉnh dẫn đầu", near=109),
    Tgt("MT25-DTI15", "DTI_RANK", 2025, "top", 15, S000, "Chuyển đổi số (DTI)", "DTI trong nhóm 15 tỉnh dẫn đầu",
        near=109),
    Tgt("MT25-PII15", "PII_RANK", 2025, "top", 15, S000, "Đổi mới sáng tạo (PII) trong nhóm 15 tỉnh",
        "PII trong nhóm 15 tỉnh dẫn đầu"),
    # --- KH 5399/KH-UBND nâng cao PAR INDEX, SIPAS 2025 (seed 002) ----------------------------------------
    Tgt("PS25-PARUP5", "PAR_RANK", 2025, "rank_up", 5, S002, "Chỉ số PAR INDEX tăng 05 bậc trở lên so với năm 2024",
        "PAR INDEX tăng ít nhất 5 bậc so với năm 2024", base_year=2024, note=PAR_UP_NOTE),
    Tgt("PS25-HTKH", "PL1-2", 2025, "=", 100, S002, "100% nhiệm vụ đề ra tại Kế hoạch được hoàn thành",
        "Hoàn thành nhiệm vụ Kế hoạch CCHC của tỉnh năm 2025",
        note="\"Kế hoạch\" ở đây là Kế hoạch CCHC của tỉnh năm 2025 (62 nhiệm vụ, Phụ lục 1 mục 2.1), không phải "
             "KH 5399 và không phải kế hoạch của Sở Nội vụ; kho dữ liệu chưa có các nhiệm vụ của kế hoạch đó. "
             "Số liệu là tỷ lệ hoàn thành kế hoạch CCHC năm của Phụ lục 1 mục 2."),
    Tgt("PS25-KIEMTRA", "KIEM_TRA_CCHC", 2025, ">=", 30, S002, "đảm bảo kiểm tra ít nhất 30% số cơ quan, đơn vị trở lên",
        "Kiểm tra CCHC ít nhất 30% cơ quan, đơn vị"),
    Tgt("PS25-KHKT", "KH_KIEM_TRA", 2025, "=", 100, S002, "Hoàn thành 100% Kế hoạch kiểm tra CCHC",
        "Hoàn thành Kế hoạch kiểm tra CCHC"),
    Tgt("PS25-XLKT", "PL1-3.2", 2025, "=", 100, S002, "100% các vấn đề phát hiện qua kiểm tra được xử lý",
        "Xử lý vấn đề phát hiện qua kiểm tra"),
    Tgt("PS25-SANGKIEN", "SANG_KIEN", 2025, ">=", 1, S002,
        "Mỗi cơ quan, đơn vị, địa phương có ít nhất 1 sáng kiến hoặc giải pháp mới trong CCHC",
        "Mỗi cơ quan có ít nhất 1 sáng kiến CCHC"),
    Tgt("PS25-NVCP", "NV_CP_GIAO", 2025, "=", 100, S002,
        "100% nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao hoàn thành đúng tiến độ",
        "Nhiệm vụ Chính phủ, Thủ tướng giao đúng tiến độ"),
    Tgt("PS25-PHIEUKS", "PHIEU_KS_PAR", 2025, "=", 100, S002, "Hoàn thành 100% phiếu khảo sát, đáp ứng yêu cầu đặt ra",
        "Hoàn thành phiếu khảo sát chấm điểm PAR INDEX"),
    Tgt("PS25-VBKT", "VB_TRAI_LUAT_KT", 2025, "=", 100, S002,
        "100% văn bản có dấu hiệu trái luật được kiểm tra theo thẩm quyền", "Kiểm tra văn bản có dấu hiệu trái luật"),
    Tgt("PS25-VBXL", "VB_TRAI_LUAT_XL", 2025, "=", 100, S002,
        "100% văn bản trái pháp luật do cơ quan có thẩm quyền kiến nghị được xử lý", "Xử lý văn bản trái pháp luật"),
    Tgt("PS25-CSDLPL", "VB_CSDL_PL", 2025, "=", 100, S002,
        "100% văn bản thuộc trách nhiệm của địa phương được cập nhật lên cơ sở dữ liệu quốc gia về pháp luật",
        "Cập nhật văn bản lên CSDL quốc gia về pháp luật"),
    Tgt("PS25-DANGTTHC", "NGAY_DANG_TTHC", 2025, "<=", 5, S002,
        "chậm nhất là 05 ngày làm việc kể từ ngày quyết định công bố được ban hành",
        "Đăng tải TTHC lên CSDL quốc gia trong 5 ngày làm việc"),
    Tgt("PS25-CONGKHAICONG", "TTHC_CONG_KHAI_CONG", 2025, "=", 100, S002,
        "Cổng Thông tin điện tử tỉnh, Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh công khai 100% TTHC",
        "Công khai TTHC trên Cổng TTĐT, Hệ thống giải quyết TTHC của tỉnh"),
    Tgt("PS25-CONGKHAI", "TTHC_CONG_KHAI", 2025, "=", 100, S002,
        "100% TTHC thuộc thẩm quyền giải quyết được công khai đầy đủ, đúng quy định", "Công khai đầy đủ TTHC"),
    Tgt("PS25-PAKN", "PAKN_XU_LY", 2025, "=", 100, S002,
        "100% phản ánh, kiến nghị được tiếp nhận, xử lý/ trả lời và công khai theo quy định",
        "Xử lý phản ánh, kiến nghị về TTHC"),
    Tgt("PS25-PHANCAP", "VAN_DE_PHAN_CAP", 2025, "=", 100, S002,
        "100% số vấn đề phát hiện qua thanh tra, kiểm tra được xử lý", "Xử lý vấn đề qua thanh tra nhiệm vụ phân cấp"),
    Tgt("PS25-MOTA", "VTVL_BAN_MO_TA", 2025, "=", 100, S002,
        "100% cơ quan, tổ chức hoàn thành Bản mô tả công việc/Danh mục vị trí việc làm và Khung năng lực",
        "Bản mô tả công việc, khung năng lực vị trí việc làm"),
    Tgt("PS25-BOTRI", "VTVL_BO_TRI", 2025, "=", 100, S002, "100% công chức, viên chức được bố trí đúng vị trí việc làm",
        "Bố trí công chức, viên chức đúng vị trí việc làm"),
    Tgt("PS25-CBCCXA", "CBCC_XA_CHUAN", 2025, "=", 100, S002, "100% cán bộ, công chức cấp xã đạt chuẩn theo quy định",
        "Cán bộ, công chức cấp xã đạt chuẩn"),
    Tgt("PS25-KYLUAT", "KY_LUAT", 2025, "=", 0, S002,
        "Trong năm không có CBCCVC của tỉnh bị kỷ luật từ mức khiển trách trở lên",
        "Không có CBCCVC bị kỷ luật từ khiển trách trở lên"),
    Tgt("PS25-GN90", "PL7-1", 2025, ">=", 90, S002, "Đến 31/12/2025: Hoàn thành tối thiểu 90% kế hoạch được giao",
        "Giải ngân vốn đầu tư công đến 31/12/2025", deadline="2025-12-31"),
    Tgt("PS25-GN100", "PL7-1", 2025, "=", 100, S002, "Đến 31/01/2026: Hoàn thành 100% kế hoạch được giao",
        "Giải ngân vốn đầu tư công đến 31/01/2026", deadline="2026-01-31",
        note="Mốc 31/01/2026 là hạn giải ngân kế hoạch vốn năm 2025 (KH 5399 năm 2025): chỉ tiêu của năm 2025."),
    Tgt("PS25-KINHPHI", "KINH_PHI_DUNG", 2025, "=", 100, S002,
        "100% đơn vị thực hiện đúng quy định về sử dụng kinh phí từ nguồn ngân sách nhà nước",
        "Sử dụng kinh phí NSNN đúng quy định"),
    Tgt("PS25-KIENNGHI", "KIEN_NGHI_KT", 2025, "=", 100, S002,
        "100% các kiến nghị sau thanh tra, kiểm tra, kiểm toán được thực hiện",
        "Thực hiện kiến nghị sau thanh tra, kiểm toán"),
    Tgt("PS25-TAISAN", "QC_TAI_SAN", 2025, "=", 100, S002,
        "100% cơ quan, đơn vị ban hành Quy chế quản lý, sử dụng tài sản công",
        "Quy chế quản lý, sử dụng tài sản công"),
    Tgt("PS25-NHADAT", "NHA_DAT", 2025, "=", 100, S002, "được phê duyệt phương án sắp xếp lại",
        "Phương án sắp xếp lại nhà, đất công", near=194),
    Tgt("PS25-TUCHU2", "DVSN_TU_CHU_MOT_PHAN", 2025, ">=", 2, S002,
        "Trong năm 2025 có ít nhất 02 đơn vị sự nghiệp công lập được giao tự chủ ở mức tự đảm bảo một phần chi "
        "thường xuyên", "Ít nhất 2 ĐVSNCL được giao tự chủ một phần"),
    Tgt("PS25-NDXP", "NDXP", 2025, "=", 100, S002,
        "100% dịch vụ dữ liệu chia sẻ trên NDXP theo yêu cầu của Cục chuyển đổi số (17 dịch vụ bắt buộc) được "
        "kết nối tích hợp", "Kết nối dịch vụ dữ liệu NDXP"),
    Tgt("PS25-VBDT", "VB_DIEN_TU", 2025, "=", 100, S002,
        "100% văn bản hành chính trong danh mục do UBND tỉnh quy định được gửi nhận hoàn toàn dưới dạng điện tử",
        "Văn bản hành chính gửi nhận điện tử"),
    Tgt("PS25-DVCTT", "DVCTT_TICH_HOP", 2025, "=", 100, S002,
        "100% dịch vụ công trực tuyến, thanh toán trực tuyến của tỉnh được tích hợp, cung cấp trên Cổng Dịch vụ "
        "công quốc gia", "DVCTT, thanh toán trực tuyến tích hợp Cổng DVC quốc gia"),
    Tgt("PS25-HSTT70", "HS_TTTT_TONG", 2025, ">=", 70, S002,
        "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ giải quyết TTHC của các cơ quan, đơn vị, địa phương "
        "đạt từ 70% trở lên", "Hồ sơ trực tuyến toàn trình trên tổng số hồ sơ TTHC",
        note="Mẫu số là tổng số hồ sơ TTHC, không phải số hồ sơ của các DVC toàn trình (Phụ lục 8 mục 6.3, "
             "84,66% quý I/2025, là tỷ lệ khác). Báo cáo không nêu riêng số hồ sơ toàn trình trên tổng số hồ sơ; "
             "số gần nhất cùng mẫu số là 24,99% (mọi hồ sơ trực tuyến trên tổng số hồ sơ, quý I/2025, Phụ lục 9 "
             "mục 5), là mức trần của tỷ lệ này, nên chỉ tiêu chưa đạt."),
    Tgt("PS25-TTTT60", "TT_THANH_TOAN_TT", 2025, ">=", 60, S002,
        "trên tổng số giao dịch của dịch vụ công đạt 60%", "Thanh toán trực tuyến trên tổng số giao dịch DVC"),
    Tgt("PS25-KTXH", "KTXH", 2025, ">=", 100, S002,
        "Hoàn thành và hoàn thành vượt mức 100% các mục tiêu, nhiệm vụ phát triển kinh tế - xã hội năm 2025",
        "Hoàn thành mục tiêu phát triển KT-XH 2025"),
    Tgt("PS25-VONDT", "VON_DAU_TU", 2025, ">", 11656.13, S002,
        "Tổng số vốn thu hút đầu tư của tỉnh trong năm 2025 cao hơn năm 2024 (tổng vốn đăng ký 11.656,13 tỷ đồng)",
        "Vốn thu hút đầu tư cao hơn năm 2024"),
    Tgt("PS25-DN20", "DN_MOI_TANG", 2025, ">=", 20, S002,
        "Tỷ lệ doanh nghiệp thành lập mới trong năm 2025 cao hơn năm 2024 ít nhất 20% hoặc tỷ lệ vốn đăng ký của "
        "doanh nghiệp", "Doanh nghiệp mới tăng ≥ 20% hoặc vốn đăng ký tăng ≥ 20%",
        alternatives=(("VON_DN_TANG", ">=", 20),),
        note="Một chỉ tiêu có hai cách đạt (\"hoặc\"): đạt khi một trong hai tỷ lệ tăng từ 20% trở lên."),
    Tgt("PS25-DNTHU", "DN_THU_NS", 2025, ">", 11961, S002,
        "Tỷ lệ đóng góp của khu vực doanh nghiệp vào thu ngân sách tỉnh năm 2025 cao hơn năm 2024 (đạt 11.961 tỷ đồng)",
        "Đóng góp của doanh nghiệp vào thu ngân sách cao hơn 2024"),
    Tgt("PS25-QUYTRINH", "DUNG_QUY_TRINH", 2025, "=", 100, S002,
        "100% cơ quan, đơn vị, địa phương thực hiện đúng quy định", "Thực hiện đúng quy trình giải quyết TTHC"),
    Tgt("PS25-GOPY", "GOP_Y_XU_LY", 2025, "=", 100, S002,
        "100% góp ý, phản ánh, kiến nghị của người dân, tổ chức được tiếp nhận, xử lý kịp thời",
        "Xử lý góp ý, phản ánh, kiến nghị của người dân"),
    # --- Mục tiêu 2025 của Chương trình tổng thể, Báo cáo sơ kết 05 năm (seed 001, Phụ lục 9) ----------------
    Tgt("BC25-LUANCHUYEN", "HS_LUAN_CHUYEN_DT", 2025, ">=", 80, S001,
        "Tối thiểu 80% hồ sơ giải quyết thủ tục hành chính được luân chuyển trong nội bộ",
        "Hồ sơ TTHC luân chuyển nội bộ bằng điện tử", official=("dat", f"{P9}, mục 2: Đạt (dòng 1515)")),
    Tgt("BC25-TTTT80", "PL8-6.5.", 2025, ">=", 80, S001,
        "Tối thiểu 80% thủ tục hành chính có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến",
        "TTHC có nghĩa vụ tài chính được thanh toán trực tuyến", near=1516,
        official=("dat", f"{P9}, mục 3: Đạt (dòng 1516)")),
    Tgt("BC25-TTTT30", "TT_THANH_TOAN_TT", 2025, ">=", 30, S001,
        "tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên", "Giao dịch thanh toán trực tuyến", near=1516,
        official=("dat", f"{P9}, mục 3: Đạt, 35,95% từ 15/12/2024 đến 31/3/2025 (dòng 1516)")),
    Tgt("BC25-DVCTT80", "TTHC_TRUC_TUYEN", 2025, ">=", 80, S001,
        "Tối thiểu 80% thủ tục hành chính của các địa phương có đủ điều kiện, được cung cấp trực tuyến toàn trình "
        "hoặc một phần", "TTHC đủ điều kiện cung cấp trực tuyến", near=1521,
        official=("dat", f"{P9}, mục 5: 100% TTHC cung cấp DVCTT được tích hợp trên Cổng DVC quốc gia (dòng 1521); "
                         "cả mục 5 được đánh giá Không đạt vì tỷ lệ hồ sơ trực tuyến")),
    Tgt("BC25-HSTT50", "HS_TT_TONG", 2025, ">=", 50, S001,
        "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 50%", "Hồ sơ trực tuyến trên tổng số hồ sơ",
        near=1521, official=("chua_dat", f"{P9}, mục 5: Không đạt, 24,99% quý I/2025 (dòng 1521)")),
    Tgt("BC25-HLTTHC", "HL_GIAI_QUYET_TTHC", 2025, ">=", 90, S001,
        "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%",
        "Hài lòng về giải quyết TTHC (Chương trình tổng thể)", near=1522,
        official=("dat", f"{P9}, mục 6: Đạt, 97,2% năm 2024 (dòng 1522)"),
        note="Báo cáo đánh giá Đạt bằng số liệu năm 2024 (97,2%); chỉ tiêu năm 2025 chỉ được đánh giá bằng số "
             "liệu năm 2025."),
    Tgt("BC25-HLDATDAI", "HL_DAT_DAI", 2025, ">=", 85, S001,
        "mức độ hài lòng về giải quyết các thủ tục hành chính lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 85%",
        "Hài lòng về TTHC đất đai, xây dựng, đầu tư", near=1522),
    Tgt("BC25-NOIBO90", "TTHC_NOI_BO_CONG_BO", 2025, ">=", 90, S001,
        "90% thủ tục hành chính nội bộ giữa cơ quan hành chính nhà nước được công bố, công khai và cập nhật kịp thời",
        "TTHC nội bộ được công bố, công khai", near=1523,
        official=("dat", f"{P9}, mục 7: Đạt, đã công khai 510 TTHC nội bộ (dòng 1523)")),
    Tgt("BC25-TAISUDUNG", "PL3-6.2", 2025, ">=", 80, S001,
        "80% người dân, doanh nghiệp khi thực hiện thủ tục hành chính không phải cung cấp lại các thông tin",
        "Không phải cung cấp lại thông tin, giấy tờ", near=1524,
        official=("dat", f"{P9}, mục 8: Đạt, tỷ lệ khai thác dữ liệu năm 2024 đạt 80,4% (dòng 1524)"),
        note="Báo cáo đo mục tiêu này bằng tỷ lệ khai thác, sử dụng lại dữ liệu số hóa (Phụ lục 3 mục 6.2)."),
    Tgt("BC25-DVSN10", "GIAM_DVSN", 2025, ">=", 10, S001,
        "Giảm tối thiểu bình quân cả nước 10% số lượng đơn vị sự nghiệp công lập", "Giảm 10% đơn vị sự nghiệp công lập",
        near=1531, official=("chua_dat", f"{P9}, mục 10: Không đạt, giảm 6,2% (dòng 1531)")),
    Tgt("BC25-BCSN10", "GIAM_BC_SN", 2025, ">=", 10, S001,
        "10% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước so với năm 2021",
        "Giảm 10% biên chế sự nghiệp hưởng lương NSNN", near=1531,
        note="Phụ lục 9 mục 10 chỉ nêu kết quả giảm đơn vị (6,2%), không nêu kết quả giảm biên chế sự nghiệp."),
    Tgt("BC25-HLHC90", "PL1-7.3", 2025, ">=", 90, S001,
        "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước đạt tối thiểu 90%",
        "Hài lòng đối với sự phục vụ của cơ quan hành chính nhà nước", near=1532,
        official=("dat", f"{P9}, mục 11: Đạt, 87,92% năm 2024 (dòng 1532)"),
        note="Các văn bản mâu thuẫn: Phụ lục 9 mục 11 đánh giá Đạt dựa trên 87,92% năm 2024, trong khi chính báo "
             "cáo ghi kết quả khảo sát năm 2025 đạt 85,85% (dòng 131), thấp hơn 90%. Bảng đánh giá bằng số "
             "năm 2025 (85,85%), không dùng đánh giá Đạt của Phụ lục 9."),
    Tgt("BC25-HLYTGD", "HL_YTE_GD", 2025, ">=", 85, S001,
        "Mức độ hài lòng của người dân về cung cấp dịch vụ y tế, giáo dục công lập đạt tối thiểu 85%",
        "Hài lòng về dịch vụ y tế, giáo dục công lập", near=1532),
    Tgt("BC25-TUCHU20", "DVSN_TU_CHU", 2025, ">=", 20, S001,
        "có tối thiểu 20% đơn vị sự nghiệp công lập tự bảo đảm chi thường xuyên",
        "ĐVSNCL tự bảo đảm chi thường xuyên", near=1535,
        official=("chua_dat", f"{P9}, mục 14: Không đạt, 6,75% năm 2025 (dòng 1535-1538)")),
    Tgt("BC25-CHUYENDOI", "DVSN_KT_CHUYEN_DOI", 2025, "=", 100, S001,
        "100% đơn vị sự nghiệp kinh tế và sự nghiệp khác, có đủ điều kiện, hoàn thành việc chuyển đổi",
        "ĐVSN kinh tế đủ điều kiện hoàn thành chuyển đổi", near=1535,
        official=("chua_dat", f"{P9}, mục 14: Không đạt (dòng 1535)")),
    Tgt("BC25-HOPTINH", "HOP_TRUC_TUYEN_TINH", 2025, "=", 100, S001,
        "100% cấp tỉnh, 80% cấp huyện thực hiện họp thông qua Hệ thống này", "Họp của UBND qua Hệ thống họp Chính phủ",
        near=1547, official=("chua_dat", f"{P9}, mục 20: Chưa đạt (dòng 1547)")),
    Tgt("BC25-HSCV90", "HSCV_MANG_TINH", 2025, ">=", 90, S001, "90% hồ sơ công việc tại cấp tỉnh",
        "Hồ sơ công việc cấp tỉnh xử lý trên môi trường mạng", near=1548,
        official=("dat", f"{P9}, mục 21: Đạt, năm 2024 trên 90% hồ sơ công việc tại tỉnh (dòng 1548)")),
    Tgt("BC25-KTSO50", "KIEM_TRA_SO", 2025, ">=", 50, S001,
        "50% hoạt động kiểm tra của cơ quan quản lý nhà nước được thực hiện thông qua môi trường số",
        "Hoạt động kiểm tra qua môi trường số", near=1549,
        official=("chua_dat", f"{P9}, mục 22: Chưa đạt (dòng 1549)")),
    Tgt("BC25-CSDLQG", "CSDL_QG_KET_NOI", 2025, "=", 100, S001,
        "100% cơ sở dữ liệu quốc gia tạo nền tảng phát triển Chính phủ điện tử được hoàn thành và kết nối",
        "Cơ sở dữ liệu quốc gia hoàn thành, kết nối", near=1539, official=("dat", f"{P9}, mục 15: Đạt (dòng 1539)")),
    Tgt("BC25-CONGDVC", "CONG_DVC_KET_NOI", 2025, "=", 100, S001,
        "100% Công Dịch vụ công, Hệ thống thông tin một cửa điện tử cấp tỉnh được kết nối, chia sẻ dữ liệu với Công "
        "Dịch vụ công quốc gia", "Cổng DVC tỉnh kết nối Cổng DVC quốc gia",
        near=1540, official=("dat", f"{P9}, mục 16: Đạt (dòng 1540)")),
    Tgt("BC25-DINHDANH", "DINH_DANH_DT", 2025, "=", 100, S001,
        "100% người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được cấp định danh và xác thực điện tử",
        "Định danh, xác thực điện tử người dùng DVCTT", near=1541, official=("dat", f"{P9}, mục 17: Đạt (dòng 1541)")),
    Tgt("BC25-HTTT80", "HTTT_KET_NOI", 2025, ">=", 80, S001,
        "80% các hệ thống thông tin của địa phương có liên quan đến người dân, doanh nghiệp đã đưa vào vận hành, "
        "khai thác được kết nối, liên thông qua Trục liên thông văn bản", "Hệ thống thông tin kết nối Trục liên thông",
        near=1542, official=("dat", f"{P9}, mục 18: Đạt (dòng 1542)")),
    Tgt("BC25-BAOCAO", "BAO_CAO_KET_NOI", 2025, "=", 100, S001,
        "100% hệ thống báo cáo của các bộ, ngành, địa phương được kết nối liên thông",
        "Hệ thống báo cáo kết nối Hệ thống báo cáo quốc gia", near=1546, official=("dat", f"{P9}, mục 19: Đạt (dòng 1546)")),
    Tgt("BC25-HSCVXA", "HSCV_MANG_XA", 2025, ">=", 60, S001, "60% hồ sơ công việc tại cấp xã",
        "Hồ sơ công việc cấp xã xử lý trên môi trường mạng", near=1548,
        official=("dat", f"{P9}, mục 21: Đạt (dòng 1548)")),
    Tgt("BC25-PHANHE", "PHAN_HE_NHIEM_VU", 2025, "=", 100, S001,
        "100% bộ, ngành, địa phương hoàn thành việc xây dựng và đưa vào vận hành Phân hệ theo dõi nhiệm vụ",
        "Phân hệ theo dõi nhiệm vụ", near=1550, official=("dat", f"{P9}, mục 23: Đạt (dòng 1550)")),
    Tgt("BC25-PHONG15", "GIAM_PHONG", 2025, ">=", 15, S001, "(Trung ương đề ra yêu cầu 15%)",
        "Giảm phòng chuyên môn, chi cục thuộc sở (yêu cầu của Trung ương)"),
    # --- Lộ trình đến năm 2026 (seed 001) -------------------------------------------------------------------
    Tgt("BC26-DVSN10", "GIAM_DVSN", 2026, ">", 10, S001,
        "Lộ trình đến năm 2026, UBND tỉnh đề ra mục tiêu tiếp tục giảm hơn 10% đơn vị sự nghiệp",
        "Giảm hơn 10% đơn vị sự nghiệp so với năm 2021"),
    Tgt("BC26-BC10", "GIAM_BC_SN", 2026, ">=", 10, S001,
        "tinh giản 10% biên chế hưởng lương từ NSNN so với năm 2021", "Tinh giản 10% biên chế hưởng lương NSNN",
        near=646),
    Tgt("BC26-DKKD", "DKKD_CAT_GIAM", 2026, "=", 100, S001,
        "Phấn đấu đến năm 2026, cắt giảm, đơn giản hóa 100% điều kiện đầu tư kinh doanh không cần thiết",
        "Cắt giảm, đơn giản hóa điều kiện đầu tư kinh doanh"),
    Tgt("BC26-DN", "TTHC_DN_TRUC_TUYEN", 2026, "=", 100, S001,
        "100% thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến", "TTHC doanh nghiệp trực tuyến",
        near=1157),
    Tgt("BC26-DIAGIOI", "TTHC_PHI_DIA_GIOI", 2026, "=", 100, S001,
        "100% thủ tục hành chính được thực hiện không phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh",
        "TTHC không phụ thuộc địa giới hành chính", near=1157),
    # --- Kế hoạch CCHC năm 2026 của Sở Nội vụ (seed 004) -------------------------------------------------
    Tgt("SNV26-KIEMTRA", "KIEM_TRA_CCHC", 2026, ">=", 20, S004, "đảm bảo kiểm tra ít nhất 20% số cơ quan,",
        "Kiểm tra CCHC ít nhất 20% cơ quan, đơn vị",
        note="Năm 2025 KH 5399 đặt mức 30%; kế hoạch năm 2026 đặt 20%."),
    Tgt("SNV26-PHIEUKS", "PHIEU_KS_PAR", 2026, "=", 100, S004, "Hoàn thành 100% phiếu khảo sát, đáp ứng yêu cầu",
        "Hoàn thành phiếu khảo sát chấm điểm PAR INDEX 2026"),
    Tgt("SNV26-HTKH", "PL1-2", 2026, "=", 100, S004,
        "Tổ chức thực hiện hoàn thành 100% các nhiệm vụ đề ra tại Kế hoạch CCHC của tỉnh năm 2026",
        "Hoàn thành nhiệm vụ Kế hoạch CCHC của tỉnh năm 2026",
        note="Kế hoạch CCHC của tỉnh năm 2026 chưa có trong kho dữ liệu (kho có kế hoạch riêng của Sở Nội vụ)."),
    Tgt("SNV26-PHANCAP", "VAN_DE_PHAN_CAP", 2026, "=", 100, S004, "100% số vấn đề phát hiện qua kiểm tra được xử lý",
        "Xử lý vấn đề qua kiểm tra nhiệm vụ phân cấp cho cấp xã"),
    Tgt("SNV26-CONGKHAICONG", "TTHC_CONG_KHAI_CONG", 2026, "=", 100, S004,
        "TTHC của tỉnh công khai 100% TTHC thuộc thẩm quyền giải quyết của các cấp chính quyền trên địa bàn tỉnh",
        "Công khai TTHC trên Cổng TTĐT, Hệ thống giải quyết TTHC của tỉnh", near=1340),
    Tgt("SNV26-CONGKHAI", "TTHC_CONG_KHAI", 2026, "=", 100, S004, "100% TTHC thuộc thẩm quyền giải quyết được công",
        "Công khai đầy đủ TTHC tại nơi tiếp nhận"),
    Tgt("SNV26-TIENDO", "HS_CONG_KHAI_TIEN_DO", 2026, "=", 100, S004,
        "100% hồ sơ TTHC thuộc thẩm quyền giải quyết của cơ quan, đơn vị được công khai tiến độ giải quyết",
        "Công khai tiến độ giải quyết hồ sơ TTHC"),
    Tgt("SNV26-DKKD", "DKKD_CAT_GIAM", 2026, "=", 100, S004,
        "đơn giản hóa 100% điều kiện đầu tư kinh doanh không cần thiết", "Cắt giảm điều kiện đầu tư kinh doanh"),
    Tgt("SNV26-THOIGIAN", "GIAM_THOI_GIAN", 2026, ">=", 50, S004, "cắt giảm ít nhất 50% thời gian giải quyết",
        "Cắt giảm thời gian giải quyết TTHC"),
    Tgt("SNV26-DN", "TTHC_DN_TRUC_TUYEN", 2026, "=", 100, S004, "100% TTHC liên quan đến doanh nghiệp được thực hiện",
        "TTHC doanh nghiệp trực tuyến"),
    Tgt("SNV26-SOHOA", "PL3-6.1", 2026, "=", 100, S004, "100% hồ sơ, kết quả giải quyết TTHC được số hóa theo quy định",
        "Số hóa hồ sơ, kết quả TTHC"),
    Tgt("SNV26-KQDT", "PL3-6.3", 2026, "=", 100, S004, "Tỷ lệ cấp kết quả giải quyết TTHC điện tử đạt 100%",
        "Cấp kết quả giải quyết TTHC điện tử"),
    Tgt("SNV26-VCCHUAN", "VC_DAT_CHUAN", 2026, "=", 100, S004, "100% viên chức đạt chuẩn theo yêu cầu của vị trí việc làm",
        "Viên chức đạt chuẩn vị trí việc làm"),
    Tgt("SNV26-KIENNGHI", "KIEN_NGHI_KT", 2026, "=", 100, S004,
        "100% các kiến nghị sau thanh tra, kiểm tra, kiểm toán được thực hiện", "Thực hiện kiến nghị sau kiểm toán"),
    Tgt("SNV26-HTQL30", "HTQLCL_KT_TINH", 2026, ">=", 30, S004, "tối thiểu 30% CQHCNN cấp tỉnh",
        "Kiểm tra trực tiếp HTQLCL cấp tỉnh"),
    Tgt("SNV26-HTQL10", "HTQLCL_KT_XA", 2026, ">=", 10, S004, "10% CQHCNN cấp xã", "Kiểm tra trực tiếp HTQLCL cấp xã"),
    Tgt("SNV26-KTDV", "KIEM_TRA_DV_SNV", 2026, ">=", 30, S004, "bảo kiểm tra ít nhất 30% số đơn vị thuộc Sở",
        "Kiểm tra CCHC ít nhất 30% đơn vị thuộc Sở Nội vụ"),
    Tgt("SNV26-TRONGTAM", "NV_TRONG_TAM", 2026, "=", 100, S004, "Hoàn thành đúng tiến độ 100% nhiệm vụ, công việc được giao",
        "Nhiệm vụ trọng tâm, đột phá 2026 đúng tiến độ"),
]

KH24_INDICES = ("Cải cách hành chính (PAR Index), Năng lực cạnh tranh cấp tỉnh (PCI), Hiệu quả Quản trị và Hành chính "
                "công cấp tỉnh (PAPI), Chuyển đổi số (DTI) trong nhóm 25 tỉnh")

# Targets of the 2024 plan (QĐ 3049, seed 003): kept for history; the targets page shows 2025-2026.
TARGETS_2024 = [
    Tgt("KH24-TTKB", "MT24-TTKB", 2024, ">=", 20, S003, "cắt giảm ít nhất 20% thông tin phải khai báo",
        "Cắt giảm thông tin phải khai báo"),
    Tgt("KH24-SOHOA", "PL3-6.1", 2024, "=", 100, S003,
        "100% hồ sơ, kết quả giải quyết thủ tục hành chính được thực hiện số hóa", "Số hóa hồ sơ, kết quả TTHC"),
    Tgt("KH24-KQDT", "PL3-6.3", 2024, "=", 100, S003,
        "100% kết quả của các thủ tục hành chính được cung cấp đồng thời cả bản điện tử", "Kết quả TTHC bản điện tử"),
    Tgt("KH24-TTTT", "PL8-6.5.", 2024, "=", 100, S003,
        "100% thủ tục hành chính có yêu cầu nghĩa vụ tài chính đủ điều kiện được triển khai thanh toán trực tuyến",
        "TTHC có nghĩa vụ tài chính thanh toán trực tuyến"),
    Tgt("KH24-GDTT", "TT_THANH_TOAN_TT", 2024, ">", 35, S003, "tỷ lệ giao dịch thanh toán trực tuyến đạt trên 35%",
        "Giao dịch thanh toán trực tuyến"),
    Tgt("KH24-HLHC", "PL1-7.3", 2024, ">", 87, S003,
        "Mức độ hài lòng của tổ chức, cá nhân đối với sự phục vụ của cơ quan hành chính nhà nước trên địa bàn tỉnh "
        "đạt trên 87%", "Hài lòng đối với cơ quan hành chính nhà nước"),
    Tgt("KH24-HLSN", "MT24-HLSN", 2024, ">", 87, S003,
        "đối với sự phục vụ của đơn vị sự nghiệp công lập đạt trên 87%", "Hài lòng đối với đơn vị sự nghiệp công lập"),
    Tgt("KH24-PAR25", "PAR_RANK", 2024, "top", 25, S003, KH24_INDICES, "PAR INDEX trong nhóm 25 tỉnh"),
    Tgt("KH24-PCI25", "PCI_RANK", 2024, "top", 25, S003, KH24_INDICES, "PCI trong nhóm 25 tỉnh"),
    Tgt("KH24-PAPI25", "PAPI_RANK", 2024, "top", 25, S003, KH24_INDICES, "PAPI trong nhóm 25 tỉnh"),
    Tgt("KH24-DTI25", "DTI_RANK", 2024, "top", 25, S003, KH24_INDICES, "DTI trong nhóm 25 tỉnh"),
]
INDICATORS_2024 = [
    Ind("MT24-TTKB", "Tỷ lệ cắt giảm thông tin phải khai báo khi tái cấu trúc quy trình TTHC", "TTHC"),
    Ind("MT24-HLSN", "Mức độ hài lòng đối với sự phục vụ của đơn vị sự nghiệp công lập", "SIPAS"),
]

SEED_VALUES = [
    SeedValue("HS_TT_TONG", "2025-Q1", 24.99, S001,
              "Quý I/2025, tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: 32.178/128.748, đạt 24,99%"),
    SeedValue("HS_TTTT_TONG", "2025-Q1", 24.99, S001,
              "Quý I/2025, tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: 32.178/128.748, đạt 24,99%",
              derived=True, how="Mức trần: hồ sơ toàn trình là một phần của mọi hồ sơ trực tuyến (24,99%)"),
    SeedValue("GIAM_PHONG", "2025-Q1", 25.6, S001, "đạt tỉ lệ 25,60% (Trung ương đề ra yêu cầu 15%)"),
    SeedValue("GIAM_DVSN", "2025-Q1", 6.2, S001, "Tỷ lệ giảm số lượng đơn vị sự nghiệp công lập đạt 6,2%"),
    SeedValue("DVSN_TU_CHU", "2025-Q1", 6.75, S001,
              "Tỷ lệ đơn vị sự nghiệp công lập tự đảm bảo chi thường xuyên năm 2025 đạt"),
    SeedValue("PL1-7.3", "2025", 85.85, S001,
              "đối với cơ quan hành chính nhà nước, đơn vị cung cấp dịch vụ công trên địa bàn tỉnh năm 2025 đạt 85,85%"),
    SeedValue("HL_GIAI_QUYET_TTHC", "2024", 97.2, S001,
              "kết quả đánh giá của tổ chức, cá nhân về giải quyết TTHC năm 2024 đạt 97,2%", near=1522),
    SeedValue("TT_THANH_TOAN_TT", "2025-Q1", 35.95, S001,
              "Từ ngày 15/12/2024 đến 31/3/2025, tỷ lệ giao dịch thanh toán trực tuyến", near=1516),
    SeedValue("NV_CP_GIAO", "2025-Q1", 100.0, S001, "Số nhiệm vụ đã hoàn thành đúng hạn", near=1303, derived=True,
              how="17 nhiệm vụ đúng hạn / 17 nhiệm vụ được giao (Phụ lục 1 mục 9.1, 9.2)"),
    SeedValue("TTHC_PHI_DIA_GIOI", "2025-Q1", 0.11, S001,
              "Số TTHC đã thực hiện tiếp nhận và giải quyết hồ sơ không phụ thuộc vào địa giới hành chính",
              derived=True, how="2 TTHC (Phụ lục 3 mục 3.6) / 1.884 TTHC của tỉnh (mục 1.4) = 0,11%"),
]


@dataclass(frozen=True)
class Fraction:
    """An indicator whose document states its figure as numerator / denominator (the indicator passport)."""

    indicator: str
    numerator: str
    denominator: str
    seed: str
    quote: str
    near: int | None = None


# Only where a document writes the fraction out; every other passport says the documents do not state it.
FRACTIONS = [
    Fraction("HS_TT_TONG", "Số hồ sơ giải quyết trực tuyến", "Tổng số hồ sơ TTHC", S001,
             "Quý I/2025, tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: 32.178/128.748, đạt 24,99%"),
    Fraction("NV_CP_GIAO", "Số nhiệm vụ đã hoàn thành đúng hạn (Phụ lục 1 mục 9.2)",
             "Tổng số nhiệm vụ được giao (Phụ lục 1 mục 9.1)", S001, "9.1 Tổng số nhiệm vụ được giao 64 163 180 210 17 9.2 Số nhiệm vụ đã hoàn thành đúng hạn",
             near=1300),
    Fraction("TTHC_PHI_DIA_GIOI",
             "Số TTHC đã thực hiện tiếp nhận và giải quyết hồ sơ không phụ thuộc vào địa giới hành chính (Phụ lục 3 "
             "mục 3.6)", "Tổng số TTHC của tỉnh (Phụ lục 3 mục 1.4)", S001, "1.4 Tổng số TTHC của tỉnh"),
]
