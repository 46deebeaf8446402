"""Fidelity: what the dashboard concludes from the province's documents, fact by fact, with citations.

Every fact names a document of sample_data/seeds/ (copies of the province's documents, so this
test depends on nothing outside the repository) and a line (or lines); the test first checks that
the quoted words are really there, then asserts what the dashboard's own read functions conclude
(`data_access.targets.target_results`, the read behind the Chỉ tiêu page and `targets --json`):
target -> indicator, year, comparator, target value, value, period of the value, rating.

Values: a number is a figure stated by a document; SAMPLE means the documents are silent and the
sample store judges the target with a generated value (flagged sample, of the target's year);
None means no value of the target's year (rating chua_co_so_lieu, grey); OFFICIAL means the
document rates the goal itself (Phụ lục 9, Đạt / Không đạt) without a figure of the year.

Where the documents contradict each other, the choice is pinned here and shown on the page:
- satisfaction with state administration 2025 (BC25-HLHC90): Phụ lục 9 mục 11 rates it Đạt
  from the 2024 figure 87,92%, the same report's 2025 survey gives 85,85% (seed 001 line 131):
  judged with 85,85% (gan_dat: 4,15 points short, within 5% of 90);
- the 2025 online-dossier goals (BC25-HSTT50 >= 50%, PS25-HSTT70 >= 70% full-process) are judged
  with 24,99% = online dossiers / all dossiers (Phụ lục 9 mục 5), never with Phụ lục 8 mục 6.3
  (84,66%, whose denominator is the dossiers of full-process services only);
- digitisation Q1/2025: Phụ lục 3 mục 6.1 says 69,04%, the text 79,18%: the appendix series is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access import tables as tb
from data_access import targets as tg
from data_access.queries import indicator_progress
from sample_data import target_catalogue as cat
from tests.conftest import ROOT

SEEDS = ROOT / "sample_data" / "seeds"
S000, S001, S002, S003, S004 = cat.S000, cat.S001, cat.S002, cat.S003, cat.S004
AS_OF = dt.date(2026, 11, 22)  # the sample store's date
SAMPLE, OFFICIAL = "SAMPLE", "OFFICIAL"


def on_lines(seed: str, lines: int | tuple[int, ...], words: str) -> bool:
    """True when `words` are on `lines` of the document (whitespace and line breaks collapsed)."""
    first, last = (lines, lines) if isinstance(lines, int) else (lines[0], lines[-1])
    raw = (SEEDS / seed).read_text(encoding="utf-8").splitlines()[first - 1:last]
    return " ".join(words.split()) in " ".join(" ".join(raw).split())


@dataclass(frozen=True)
class T:
    """A target fact: its code, citation (document, line(s), words) and the expected conclusion."""

    code: str
    seed: str
    lines: int | tuple[int, ...]
    words: str
    indicator: str
    year: int
    comparator: str
    target: float
    value: float | str | None
    period: str | None
    rating: str | None  # None for SAMPLE: recomputed from the generated value


TARGET_FACTS = [
    T("MT25-DKKD", S000, (38, 40), 'bãi bỏ ít nhất 30% điều kiện đầu tư kinh doanh không cần thiết',
      "DKKD_BAI_BO", 2025, ">=", 30, SAMPLE, None, None),
    T("MT25-THOIGIAN", S000, (40, 42), 'giảm ít nhất 30% thời gian giải quyết của các thủ tục hành chính',
      "GIAM_THOI_GIAN", 2025, ">=", 30, SAMPLE, None, None),
    T("MT25-CHIPHI", S000, (42), '30% chi phí tuân thủ thủ tục hành chính',
      "GIAM_CHI_PHI", 2025, ">=", 30, SAMPLE, None, None),
    T("MT25-DN", S000, (44, 46), '100% thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến',
      "TTHC_DN_TRUC_TUYEN", 2025, "=", 100, SAMPLE, None, None),
    T("MT25-DIAGIOI", S000, (48, 50), '100% thủ tục hành chính được thực hiện không phụ thuộc vào địa giới hành chính trong phạm vi của tỉnh',
      "TTHC_PHI_DIA_GIOI", 2025, "=", 100, 0.11, '2025-Q1', 'chua_dat'),
    T("MT25-SOHOA", S000, (52), '100% hồ sơ, kết quả giải quyết thủ tục hành chính được thực hiện số hóa',
      "PL3-6.1", 2025, "=", 100, SAMPLE, None, None),
    T("MT25-KQDT", S000, (54, 56), '100% kết quả của các thủ tục hành chính được cung cấp đồng thời cả bản điện tử có giá trị pháp lý',
      "PL3-6.3", 2025, "=", 100, SAMPLE, None, None),
    T("MT25-NOIBO", S000, (58, 59), '100% thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước và trong từng cơ quan hành chính nhà nước được rà soát, sửa đổi, hoàn thiện',
      "TTHC_NOI_BO", 2025, "=", 100, SAMPLE, None, None),
    T("MT25-HLTTHC", S000, (105, 107), 'Mức độ hài lòng của người dân, tổ chức, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%',
      "HL_GIAI_QUYET_TTHC", 2025, ">=", 90, SAMPLE, None, None),
    T("MT25-PAR15", S000, (109, 113), 'Cải cách hành chính (PAR Index), Năng lực cạnh tranh cấp tỉnh (PCI), Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI), Chuyển đổi số (DTI), Đổi mới sáng tạo (PII) trong nhóm 15 tỉnh',
      "PAR_RANK", 2025, "top", 15, SAMPLE, None, None),
    T("MT25-PAPI15", S000, (111, 113), 'Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI)',
      "PAPI_RANK", 2025, "top", 15, None, None, 'chua_co_so_lieu'),
    T("MT25-PCI15", S000, (111), 'Năng lực cạnh tranh cấp tỉnh (PCI)',
      "PCI_RANK", 2025, "top", 15, None, None, 'chua_co_so_lieu'),
    T("MT25-DTI15", S000, (113), 'Chuyển đổi số (DTI)',
      "DTI_RANK", 2025, "top", 15, None, None, 'chua_co_so_lieu'),
    T("MT25-PII15", S000, (113), 'Đổi mới sáng tạo (PII) trong nhóm 15 tỉnh',
      "PII_RANK", 2025, "top", 15, None, None, 'chua_co_so_lieu'),
    T("BC26-BC10", S001, (646), 'tinh giản 10% biên chế hưởng lương từ NSNN so với năm 2021',
      "GIAM_BC_SN", 2026, ">=", 10, None, None, 'chua_co_so_lieu'),
    T("BC26-DVSN10", S001, (646), 'Lộ trình đến năm 2026, UBND tỉnh đề ra mục tiêu tiếp tục giảm hơn 10% đơn vị sự nghiệp',
      "GIAM_DVSN", 2026, ">", 10, None, None, 'chua_co_so_lieu'),
    T("BC26-DIAGIOI", S001, (1157), '100% thủ tục hành chính được thực hiện không phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh',
      "TTHC_PHI_DIA_GIOI", 2026, "=", 100, None, None, 'chua_co_so_lieu'),
    T("BC26-DKKD", S001, (1157), 'Phấn đấu đến năm 2026, cắt giảm, đơn giản hóa 100% điều kiện đầu tư kinh doanh không cần thiết',
      "DKKD_CAT_GIAM", 2026, "=", 100, SAMPLE, None, None),
    T("BC26-DN", S001, (1157), '100% thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến',
      "TTHC_DN_TRUC_TUYEN", 2026, "=", 100, SAMPLE, None, None),
    T("BC25-LUANCHUYEN", S001, (1515), 'Tối thiểu 80% hồ sơ giải quyết thủ tục hành chính được luân chuyển trong nội bộ',
      "HS_LUAN_CHUYEN_DT", 2025, ">=", 80, OFFICIAL, None, 'dat'),
    T("BC25-TTTT30", S001, (1516), 'tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên',
      "TT_THANH_TOAN_TT", 2025, ">=", 30, SAMPLE, None, None),
    T("BC25-TTTT80", S001, (1516), 'Tối thiểu 80% thủ tục hành chính có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến',
      "PL8-6.5.", 2025, ">=", 80, 100.0, '2025-Q1', 'dat'),
    T("BC25-DVCTT80", S001, (1521), 'Tối thiểu 80% thủ tục hành chính của các địa phương có đủ điều kiện, được cung cấp trực tuyến toàn trình hoặc một phần',
      "TTHC_TRUC_TUYEN", 2025, ">=", 80, OFFICIAL, None, 'dat'),
    T("BC25-HSTT50", S001, (1521), 'Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 50%',
      "HS_TT_TONG", 2025, ">=", 50, 24.99, '2025-Q1', 'chua_dat'),
    T("BC25-HLDATDAI", S001, (1522), 'mức độ hài lòng về giải quyết các thủ tục hành chính lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 85%',
      "HL_DAT_DAI", 2025, ">=", 85, SAMPLE, None, None),
    T("BC25-HLTTHC", S001, (1522), 'Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%',
      "HL_GIAI_QUYET_TTHC", 2025, ">=", 90, SAMPLE, None, None),
    T("BC25-NOIBO90", S001, (1523), '90% thủ tục hành chính nội bộ giữa cơ quan hành chính nhà nước được công bố, công khai và cập nhật kịp thời',
      "TTHC_NOI_BO_CONG_BO", 2025, ">=", 90, OFFICIAL, None, 'dat'),
    T("BC25-TAISUDUNG", S001, (1524), '80% người dân, doanh nghiệp khi thực hiện thủ tục hành chính không phải cung cấp lại các thông tin',
      "PL3-6.2", 2025, ">=", 80, SAMPLE, None, None),
    T("BC25-BCSN10", S001, (1531), '10% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước so với năm 2021',
      "GIAM_BC_SN", 2025, ">=", 10, None, None, 'chua_co_so_lieu'),
    T("BC25-DVSN10", S001, (1531), 'Giảm tối thiểu bình quân cả nước 10% số lượng đơn vị sự nghiệp công lập',
      "GIAM_DVSN", 2025, ">=", 10, 6.2, '2025-Q1', 'chua_dat'),
    T("BC25-HLHC90", S001, (1532), 'Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước đạt tối thiểu 90%',
      "PL1-7.3", 2025, ">=", 90, 85.85, '2025', 'gan_dat'),
    T("BC25-HLYTGD", S001, (1532), 'Mức độ hài lòng của người dân về cung cấp dịch vụ y tế, giáo dục công lập đạt tối thiểu 85%',
      "HL_YTE_GD", 2025, ">=", 85, SAMPLE, None, None),
    T("BC25-CHUYENDOI", S001, (1538), '100% đơn vị sự nghiệp kinh tế và sự nghiệp khác, có đủ điều kiện, hoàn thành việc chuyển đổi',
      "DVSN_KT_CHUYEN_DOI", 2025, "=", 100, OFFICIAL, None, 'chua_dat'),
    T("BC25-TUCHU20", S001, (1538), 'có tối thiểu 20% đơn vị sự nghiệp công lập tự bảo đảm chi thường xuyên',
      "DVSN_TU_CHU", 2025, ">=", 20, 6.75, '2025-Q1', 'chua_dat'),
    T("BC25-HOPTINH", S001, (1547), '100% cấp tỉnh, 80% cấp huyện thực hiện họp thông qua Hệ thống này',
      "HOP_TRUC_TUYEN_TINH", 2025, "=", 100, OFFICIAL, None, 'chua_dat'),
    T("BC25-HSCV90", S001, (1548), '90% hồ sơ công việc tại cấp tỉnh',
      "HSCV_MANG_TINH", 2025, ">=", 90, OFFICIAL, None, 'dat'),
    T("BC25-KTSO50", S001, (1549), '50% hoạt động kiểm tra của cơ quan quản lý nhà nước được thực hiện thông qua môi trường số',
      "KIEM_TRA_SO", 2025, ">=", 50, OFFICIAL, None, 'chua_dat'),
    T("PS25-PARUP5", S002, (25), 'Chỉ số PAR INDEX tăng 05 bậc trở lên so với năm 2024',
      "PAR_RANK", 2025, "rank_up", 5, SAMPLE, None, None),
    T("PS25-HTKH", S002, (101), '100% nhiệm vụ đề ra tại Kế hoạch được hoàn thành',
      "PL1-2", 2025, "=", 100, 8.06, '2025-Q1', 'chua_dat'),
    T("PS25-KHKT", S002, (103), 'Hoàn thành 100% Kế hoạch kiểm tra CCHC',
      "KH_KIEM_TRA", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-KIEMTRA", S002, (103), 'đảm bảo kiểm tra ít nhất 30% số cơ quan, đơn vị trở lên',
      "KIEM_TRA_CCHC", 2025, ">=", 30, SAMPLE, None, None),
    T("PS25-XLKT", S002, (103), '100% các vấn đề phát hiện qua kiểm tra được xử lý',
      "PL1-3.2", 2025, "=", 100, None, None, 'chua_co_so_lieu'),
    T("PS25-SANGKIEN", S002, (104), 'Mỗi cơ quan, đơn vị, địa phương có ít nhất 1 sáng kiến hoặc giải pháp mới trong CCHC',
      "SANG_KIEN", 2025, ">=", 1, None, None, 'chua_co_so_lieu'),
    T("PS25-NVCP", S002, (107), '100% nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao hoàn thành đúng tiến độ',
      "NV_CP_GIAO", 2025, "=", 100, 100.0, '2025-Q1', 'dat'),
    T("PS25-PHIEUKS", S002, (108), 'Hoàn thành 100% phiếu khảo sát, đáp ứng yêu cầu đặt ra',
      "PHIEU_KS_PAR", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-VBKT", S002, (128), '100% văn bản có dấu hiệu trái luật được kiểm tra theo thẩm quyền',
      "VB_TRAI_LUAT_KT", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-VBXL", S002, (129), '100% văn bản trái pháp luật do cơ quan có thẩm quyền kiến nghị được xử lý',
      "VB_TRAI_LUAT_XL", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-CSDLPL", S002, (130), '100% văn bản thuộc trách nhiệm của địa phương được cập nhật lên cơ sở dữ liệu quốc gia về pháp luật',
      "VB_CSDL_PL", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-DANGTTHC", S002, (147), 'chậm nhất là 05 ngày làm việc kể từ ngày quyết định công bố được ban hành',
      "NGAY_DANG_TTHC", 2025, "<=", 5, None, None, 'chua_co_so_lieu'),
    T("PS25-CONGKHAI", S002, (149), '100% TTHC thuộc thẩm quyền giải quyết được công khai đầy đủ, đúng quy định',
      "TTHC_CONG_KHAI", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-PAKN", S002, (162), '100% phản ánh, kiến nghị được tiếp nhận, xử lý/ trả lời và công khai theo quy định',
      "PAKN_XU_LY", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-PHANCAP", S002, (171), '100% số vấn đề phát hiện qua thanh tra, kiểm tra được xử lý',
      "VAN_DE_PHAN_CAP", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-BOTRI", S002, (177), '100% công chức, viên chức được bố trí đúng vị trí việc làm',
      "VTVL_BO_TRI", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-MOTA", S002, (177), '100% cơ quan, tổ chức hoàn thành Bản mô tả công việc/Danh mục vị trí việc làm và Khung năng lực',
      "VTVL_BAN_MO_TA", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-CBCCXA", S002, (178), '100% cán bộ, công chức cấp xã đạt chuẩn theo quy định',
      "CBCC_XA_CHUAN", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-KYLUAT", S002, (182), 'Trong năm không có CBCCVC của tỉnh bị kỷ luật từ mức khiển trách trở lên',
      "KY_LUAT", 2025, "=", 0, None, None, 'chua_co_so_lieu'),
    T("PS25-GN100", S002, (184), 'Đến 31/01/2026: Hoàn thành 100% kế hoạch được giao',
      "PL7-1", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-GN90", S002, (184), 'Đến 31/12/2025: Hoàn thành tối thiểu 90% kế hoạch được giao',
      "PL7-1", 2025, ">=", 90, SAMPLE, None, None),
    T("PS25-KINHPHI", S002, (185), '100% đơn vị thực hiện đúng quy định về sử dụng kinh phí từ nguồn ngân sách nhà nước',
      "KINH_PHI_DUNG", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-KIENNGHI", S002, (188), '100% các kiến nghị sau thanh tra, kiểm tra, kiểm toán được thực hiện',
      "KIEN_NGHI_KT", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-TAISAN", S002, (190), '100% cơ quan, đơn vị ban hành Quy chế quản lý, sử dụng tài sản công',
      "QC_TAI_SAN", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-NHADAT", S002, (194), 'được phê duyệt phương án sắp xếp lại',
      "NHA_DAT", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-TUCHU2", S002, (198), 'Trong năm 2025 có ít nhất 02 đơn vị sự nghiệp công lập được giao tự chủ ở mức tự đảm bảo một phần chi thường xuyên',
      "DVSN_TU_CHU_MOT_PHAN", 2025, ">=", 2, None, None, 'chua_co_so_lieu'),
    T("PS25-NDXP", S002, (201), '100% dịch vụ dữ liệu chia sẻ trên NDXP theo yêu cầu của Cục chuyển đổi số (17 dịch vụ bắt buộc) được kết nối tích hợp',
      "NDXP", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-VBDT", S002, (205), '100% văn bản hành chính trong danh mục do UBND tỉnh quy định được gửi nhận hoàn toàn dưới dạng điện tử',
      "VB_DIEN_TU", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-DVCTT", S002, (207), '100% dịch vụ công trực tuyến, thanh toán trực tuyến của tỉnh được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia',
      "DVCTT_TICH_HOP", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-HSTT70", S002, (208), 'Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ giải quyết TTHC của các cơ quan, đơn vị, địa phương đạt từ 70% trở lên',
      "HS_TTTT_TONG", 2025, ">=", 70, 24.99, '2025-Q1', 'chua_dat'),
    T("PS25-TTTT60", S002, (211), 'trên tổng số giao dịch của dịch vụ công đạt 60%',
      "TT_THANH_TOAN_TT", 2025, ">=", 60, SAMPLE, None, None),
    T("PS25-KTXH", S002, (213), 'Hoàn thành và hoàn thành vượt mức 100% các mục tiêu, nhiệm vụ phát triển kinh tế - xã hội năm 2025',
      "KTXH", 2025, ">=", 100, SAMPLE, None, None),
    T("PS25-VONDT", S002, (214), 'Tổng số vốn thu hút đầu tư của tỉnh trong năm 2025 cao hơn năm 2024 (tổng vốn đăng ký 11.656,13 tỷ đồng)',
      "VON_DAU_TU", 2025, ">", 11656.13, None, None, 'chua_co_so_lieu'),
    T("PS25-DN20", S002, (215), 'Tỷ lệ doanh nghiệp thành lập mới trong năm 2025 cao hơn năm 2024 ít nhất 20% hoặc tỷ lệ vốn đăng ký của doanh nghiệp',
      "DN_MOI_TANG", 2025, ">=", 20, SAMPLE, None, None),
    T("PS25-DNTHU", S002, (219), 'Tỷ lệ đóng góp của khu vực doanh nghiệp vào thu ngân sách tỉnh năm 2025 cao hơn năm 2024 (đạt 11.961 tỷ đồng)',
      "DN_THU_NS", 2025, ">", 11961, None, None, 'chua_co_so_lieu'),
    T("PS25-QUYTRINH", S002, (230), '100% cơ quan, đơn vị, địa phương thực hiện đúng quy định',
      "DUNG_QUY_TRINH", 2025, "=", 100, SAMPLE, None, None),
    T("PS25-GOPY", S002, (257), '100% góp ý, phản ánh, kiến nghị của người dân, tổ chức được tiếp nhận, xử lý kịp thời',
      "GOP_Y_XU_LY", 2025, "=", 100, SAMPLE, None, None),
    T("SNV26-PHANCAP", S004, (234, 238), '100% số vấn đề phát hiện qua kiểm tra được xử lý',
      "VAN_DE_PHAN_CAP", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-KIEMTRA", S004, (708), 'đảm bảo kiểm tra ít nhất 20% số cơ quan,',
      "KIEM_TRA_CCHC", 2026, ">=", 20, SAMPLE, None, None),
    T("SNV26-PHIEUKS", S004, (899, 901), 'Hoàn thành 100% phiếu khảo sát, đáp ứng yêu cầu',
      "PHIEU_KS_PAR", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-HTKH", S004, (919, 923), 'Tổ chức thực hiện hoàn thành 100% các nhiệm vụ đề ra tại Kế hoạch CCHC của tỉnh năm 2026',
      "PL1-2", 2026, "=", 100, None, None, 'chua_co_so_lieu'),
    T("SNV26-CONGKHAI", S004, (1382, 1384), '100% TTHC thuộc thẩm quyền giải quyết được công',
      "TTHC_CONG_KHAI", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-TIENDO", S004, (1452, 1458), '100% hồ sơ TTHC thuộc thẩm quyền giải quyết của cơ quan, đơn vị được công khai tiến độ giải quyết',
      "HS_CONG_KHAI_TIEN_DO", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-DKKD", S004, (1490, 1494), 'đơn giản hóa 100% điều kiện đầu tư kinh doanh không cần thiết',
      "DKKD_CAT_GIAM", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-THOIGIAN", S004, (1494, 1496), 'cắt giảm ít nhất 50% thời gian giải quyết',
      "GIAM_THOI_GIAN", 2026, ">=", 50, SAMPLE, None, None),
    T("SNV26-DN", S004, (1504, 1506), '100% TTHC liên quan đến doanh nghiệp được thực hiện',
      "TTHC_DN_TRUC_TUYEN", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-SOHOA", S004, (1632, 1636), '100% hồ sơ, kết quả giải quyết TTHC được số hóa theo quy định',
      "PL3-6.1", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-KQDT", S004, (1670, 1672), 'Tỷ lệ cấp kết quả giải quyết TTHC điện tử đạt 100%',
      "PL3-6.3", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-VCCHUAN", S004, (1968, 1970), '100% viên chức đạt chuẩn theo yêu cầu của vị trí việc làm',
      "VC_DAT_CHUAN", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-KIENNGHI", S004, (2187, 2191), '100% các kiến nghị sau thanh tra, kiểm tra, kiểm toán được thực hiện',
      "KIEN_NGHI_KT", 2026, "=", 100, SAMPLE, None, None),
    T("SNV26-HTQL30", S004, (2217, 2219), 'tối thiểu 30% CQHCNN cấp tỉnh',
      "HTQLCL_KT_TINH", 2026, ">=", 30, SAMPLE, None, None),
    T("SNV26-HTQL10", S004, (2219, 2221), '10% CQHCNN cấp xã',
      "HTQLCL_KT_XA", 2026, ">=", 10, SAMPLE, None, None),
    T("SNV26-KTDV", S004, (2323), 'bảo kiểm tra ít nhất 30% số đơn vị thuộc Sở',
      "KIEM_TRA_DV_SNV", 2026, ">=", 30, SAMPLE, None, None),
    T("SNV26-TRONGTAM", S004, (2427, 2429), 'Hoàn thành đúng tiến độ 100% nhiệm vụ, công việc được giao',
      "NV_TRONG_TAM", 2026, "=", 100, SAMPLE, None, None),
    # Added after the first audit pass: Phụ lục 9 mục 15-19, 21 (cấp xã), 23; line 622; Cổng TTĐT publication.
    T("BC25-PHONG15", S001, 622, '(Trung ương đề ra yêu cầu 15%)',
      "GIAM_PHONG", 2025, ">=", 15.0, 25.6, '2025-Q1', 'dat'),
    T("BC25-CSDLQG", S001, 1539, '100% cơ sở dữ liệu quốc gia tạo nền tảng phát triển Chính phủ điện tử được hoàn thành và kết nối',
      "CSDL_QG_KET_NOI", 2025, "=", 100.0, OFFICIAL, None, 'dat'),
    T("BC25-CONGDVC", S001, 1540, '100% Công Dịch vụ công, Hệ thống thông tin một cửa điện tử cấp tỉnh được kết nối, chia sẻ dữ liệu với Công Dịch vụ công quốc gia',
      "CONG_DVC_KET_NOI", 2025, "=", 100.0, OFFICIAL, None, 'dat'),
    T("BC25-DINHDANH", S001, 1541, '100% người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được cấp định danh và xác thực điện tử',
      "DINH_DANH_DT", 2025, "=", 100.0, OFFICIAL, None, 'dat'),
    T("BC25-HTTT80", S001, 1542, '80% các hệ thống thông tin của địa phương có liên quan đến người dân, doanh nghiệp đã đưa vào vận hành, khai thác được kết nối, liên thông qua Trục liên thông văn bản',
      "HTTT_KET_NOI", 2025, ">=", 80.0, OFFICIAL, None, 'dat'),
    T("BC25-BAOCAO", S001, 1546, '100% hệ thống báo cáo của các bộ, ngành, địa phương được kết nối liên thông',
      "BAO_CAO_KET_NOI", 2025, "=", 100.0, OFFICIAL, None, 'dat'),
    T("BC25-HSCVXA", S001, 1548, '60% hồ sơ công việc tại cấp xã',
      "HSCV_MANG_XA", 2025, ">=", 60.0, OFFICIAL, None, 'dat'),
    T("BC25-PHANHE", S001, 1550, '100% bộ, ngành, địa phương hoàn thành việc xây dựng và đưa vào vận hành Phân hệ theo dõi nhiệm vụ',
      "PHAN_HE_NHIEM_VU", 2025, "=", 100.0, OFFICIAL, None, 'dat'),
    T("PS25-CONGKHAICONG", S002, 148, 'Cổng Thông tin điện tử tỉnh, Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh công khai 100% TTHC',
      "TTHC_CONG_KHAI_CONG", 2025, "=", 100.0, SAMPLE, None, None),
    T("SNV26-CONGKHAICONG", S004, (1354, 1360), 'TTHC của tỉnh công khai 100% TTHC thuộc thẩm quyền giải quyết của các cấp chính quyền trên địa bàn tỉnh',
      "TTHC_CONG_KHAI_CONG", 2026, "=", 100.0, SAMPLE, None, None),
]

@dataclass(frozen=True)
class V:
    """A figure a document states, and the value the store holds for it."""

    seed: str
    lines: int | tuple[int, ...]
    words: str
    indicator: str  # code, or "name:<indicator name>"
    period: str
    value: float
    derived: bool = False


VALUE_FACTS = [
    # PAR INDEX 2024 and its components (KH 5399, seed 002 line 9); 2023 derived from the stated change.
    V(S002, 9, "tương ứng Chỉ số PAR INDEX đạt 90,49%", "PAR_INDEX", "2024", 90.49),
    V(S002, 9, "xếp hạng 10/63 tỉnh, thành phố", "PAR_RANK", "2024", 10),
    V(S002, 9, "Chỉ số PAR INDEX đạt 90,49% (tăng 1,89% so với năm 2023)", "PAR_INDEX", "2023", 88.6, derived=True),
    V(S002, 9, "“Công tác chỉ đạo, điều hành CCHC” đạt chỉ số 100%",
      "name:PAR INDEX - Công tác chỉ đạo, điều hành CCHC", "2024", 100),
    V(S002, 9, "“Cải cách thủ tục hành chính” đạt 98,85%", "name:PAR INDEX - Cải cách thủ tục hành chính", "2024",
      98.85),
    V(S002, 9, "“Cải cách thể chế” đạt 95,02%", "name:PAR INDEX - Cải cách thể chế", "2024", 95.02),
    V(S002, 9, "“Cải cách tổ chức bộ máy” đạt 94,52%", "name:PAR INDEX - Cải cách tổ chức bộ máy", "2024", 94.52),
    V(S002, 9, "“Cải cách tài chính công” đạt 89,5%", "name:PAR INDEX - Cải cách tài chính công", "2024", 89.5),
    V(S002, 9, "“Xây dựng và phát triển Chính phủ điện tử, Chính phủ số” đạt 87,43%",
      "name:PAR INDEX - Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "2024", 87.43),
    V(S002, 9, "“Cải cách chế độ công vụ” đạt 83,39%", "name:PAR INDEX - Cải cách chế độ công vụ", "2024", 83.39),
    V(S002, 9, "“Tác động của CCHC đến người dân và phát triển kinh tế - xã hội” đạt 82,8%",
      "name:PAR INDEX - Tác động của CCHC đến người dân và phát triển kinh tế - xã hội", "2024", 82.8),
    V(S002, 11, "tăng cao nhất là “Cải cách tài chính công” tăng 15,75%", "name:PAR INDEX - Cải cách tài chính công",
      "2023", 73.75, derived=True),
    # SIPAS 2024 (seed 002 line 13).
    V(S002, 13, "Chỉ số hài lòng (SIPAS) của tỉnh đạt 83,66%", "SIPAS", "2024", 83.66),
    V(S002, 13, "xếp hạng 30/63 tỉnh, thành phố", "SIPAS_RANK", "2024", 30),
    V(S002, 13, "Chỉ số hài lòng (SIPAS) của tỉnh đạt 83,66% (tăng 2,57% so với năm 2023)", "SIPAS", "2023", 81.09,
      derived=True),
    V(S002, 13, "Chỉ số hài lòng về việc cung ứng dịch vụ hành chính công của tỉnh đạt 85,7%",
      "name:Chỉ số hài lòng về việc cung ứng dịch vụ hành chính công", "2024", 85.7),
    V(S002, 13, "Chỉ số hài lòng về việc xây dựng, tổ chức thực hiện chính sách của tỉnh đạt 82,24%",
      "name:Chỉ số hài lòng về việc xây dựng, tổ chức thực hiện chính sách", "2024", 82.24),
    # Figures of the five-year report (seed 001) that judge 2025 targets.
    V(S001, 1521, "tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: 32.178/128.748, đạt 24,99%", "HS_TT_TONG",
      "2025-Q1", 24.99),
    V(S001, 622, "đạt tỉ lệ 25,60% (Trung ương đề ra yêu cầu 15%)", "GIAM_PHONG", "2025-Q1", 25.6),
    V(S001, 1531, "Tỷ lệ giảm số lượng đơn vị sự nghiệp công lập đạt 6,2%", "GIAM_DVSN", "2025-Q1", 6.2),
    V(S001, (1535, 1538), "6,75%", "DVSN_TU_CHU", "2025-Q1", 6.75),
    V(S001, 131, "năm 2025 đạt 85,85%, chưa đạt kỳ vọng", "PL1-7.3", "2025", 85.85),
    V(S001, 1299, "7.3\tMức độ hài lòng chung\t-\t81,98%\t85,70%\t87,92%", "PL1-7.3", "2024", 87.92),
    V(S001, 1522, "giải quyết TTHC năm 2024 đạt 97,2%", "HL_GIAI_QUYET_TTHC", "2024", 97.2),
    V(S001, 1516, "tỷ lệ giao dịch thanh toán trực tuyến", "TT_THANH_TOAN_TT", "2025-Q1", 35.95),
    V(S001, 1499, "Tỷ lệ hồ sơ trực tuyến toàn trình", "PL8-6.3.", "2025-Q1", 84.66),
    V(S001, 1376, "Tỷ lệ hồ sơ TTHC số hóa hồ sơ, kết quả giải quyết TTHC", "PL3-6.1", "2025-Q1", 69.04),
    V(S001, 1269, "Tỷ lệ hoàn thành kế hoạch CCHC năm", "PL1-2", "2025-Q1", 8.06),
    V(S001, 1359, "không phụ thuộc vào địa giới hành chính", "PL3-3.6", "2025-Q1", 2),
    V(S001, 1348, "Tổng số TTHC của tỉnh", "PL3-1.4", "2025-Q1", 1884),
    V(S001, 1359, "không phụ thuộc vào địa giới hành chính", "TTHC_PHI_DIA_GIOI", "2025-Q1", 0.11, derived=True),
    V(S001, 1454, "Tỷ lệ thực hiện Kế hoạch giải ngân vốn đầu tư công", "PL7-1", "2025-Q1", 5.66),
]


def _results(engine: Engine, as_of: dt.date = AS_OF) -> dict[str, tg.TargetResult]:
    return {r.code: r for r in tg.target_results(engine, as_of)}


@pytest.mark.parametrize("fact", TARGET_FACTS + [v for v in VALUE_FACTS], ids=lambda f: getattr(f, "code", None)
                         or f"{f.indicator}@{f.period}")
def test_fact_is_quoted_from_its_document(fact: T | V) -> None:
    assert on_lines(fact.seed, fact.lines, fact.words), (fact.seed, fact.lines, fact.words)


def test_every_target_fact_is_named_once_and_all_targets_are_covered(sample_engine: Engine) -> None:
    codes = [f.code for f in TARGET_FACTS]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(_results(sample_engine))  # every 2025/2026 target of the store is a fact here
    assert len(TARGET_FACTS) + len(VALUE_FACTS) >= 60


def test_targets_conclude_what_the_documents_say(sample_engine: Engine) -> None:
    results = _results(sample_engine)
    for f in TARGET_FACTS:
        r = results[f.code]
        where = (f.code, f.seed, f.lines)
        assert (r.seed_file, r.quote) == (f.seed, f.words), where  # the quote is the document's, never composed
        first, last = (f.lines, f.lines) if isinstance(f.lines, int) else (f.lines[0], f.lines[-1])
        assert (r.seed_line, r.seed_line_end) == (first, last), where
        assert (r.indicator_code, r.year, r.comparator, r.target) == (f.indicator, f.year, f.comparator, f.target), where
        if f.value == SAMPLE:
            assert r.sample and r.value is not None and r.period is not None, where
            assert r.period[:4] == str(f.year), where
            if not r.alternatives:
                assert r.rating == tg.rate(r.value, r.comparator, r.target, r.direction, r.base_value)[0], where
        elif f.value == OFFICIAL:
            assert (r.value, r.period, r.rating, r.sample) == (None, tg.OFFICIAL_PERIOD, f.rating, False), where
        else:
            assert (r.value, r.period, r.rating) == (f.value, f.period, f.rating), where
            assert not r.sample, where


def test_document_values_are_stored_as_stated(sample_engine: Engine) -> None:
    i, iv = tb.INDICATOR, tb.INDICATOR_VALUE
    with sample_engine.connect() as conn:
        for f in VALUE_FACTS:
            key = i.c.name == f.indicator[5:] if f.indicator.startswith("name:") else i.c.code == f.indicator
            rows = conn.execute(select(iv.c.value, iv.c.is_sample, iv.c.is_derived, iv.c.source)
                                .select_from(iv.join(i, i.c.id == iv.c.indicator_id))
                                .where(key, iv.c.period == f.period)).all()
            assert len(rows) == 1, (f.indicator, f.period, rows)
            value, sample, derived, source = rows[0]
            assert (value, bool(sample), bool(derived)) == (f.value, False, f.derived), (f.indicator, f.period)
            assert f.seed in source or "Bộ Nội vụ" in source or "5399" in source, source


def test_online_dossier_goal_of_phu_luc_9_is_not_met(sample_engine: Engine) -> None:
    """Acceptance: the 2025 online-dossier goal is chua_dat with 24,99 (seed 001 line 1521, Không đạt)."""
    assert on_lines(S001, 1521, "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 50%")
    assert on_lines(S001, 1521, "đạt 24,99%\tKhông đạt")
    results = _results(sample_engine)
    for code in ("BC25-HSTT50", "PS25-HSTT70"):
        r = results[code]
        assert (r.value, r.period, r.rating, r.sample) == (24.99, "2025-Q1", tg.CHUA_DAT, False)
    # The appendix row whose denominator is full-process services only judges no target.
    assert not any(r.indicator_code == "PL8-6.3." for r in results.values())


def test_par_rank_both_forms(sample_engine: Engine) -> None:
    """Acceptance: rank 12 in 2025 is chua_dat against "up >= 5 places from 10", dat against "top 15"."""
    assert on_lines(S002, 25, "Chỉ số PAR INDEX tăng 05 bậc trở lên so với năm 2024")
    assert on_lines(S000, (111, 113), "trong nhóm 15 tỉnh")
    assert tg.rate(12, "rank_up", 5, "down", base_value=10) == (tg.CHUA_DAT, 7.0)
    assert tg.rate(5, "rank_up", 5, "down", base_value=10) == (tg.DAT, 0.0)
    assert tg.rate(12, "top", 15) == (tg.DAT, 0.0)
    assert tg.rate(12, "rank_up", 5, "down", base_value=None)[0] == tg.CHUA_CO_SO_LIEU
    results = _results(sample_engine)
    up, top = results["PS25-PARUP5"], results["MT25-PAR15"]
    assert (up.value, up.period, up.base_year, up.base_value, up.rating) == (12, "2025", 2024, 10, tg.CHUA_DAT)
    assert up.sample  # the 2025 rank is not published in the documents
    assert (top.value, top.rating) == (12, tg.DAT)


@pytest.mark.parametrize("as_of", [dt.date(2025, 2, 1), dt.date(2025, 3, 31), dt.date(2025, 6, 30),
                                   dt.date(2025, 12, 31), dt.date(2026, 4, 1), AS_OF])
def test_no_target_is_judged_with_a_value_of_another_year(sample_engine: Engine, as_of: dt.date) -> None:
    for r in tg.target_results(sample_engine, as_of):
        if r.value is None:
            assert r.period in (None, tg.OFFICIAL_PERIOD), r.code
            assert r.rating in (tg.CHUA_CO_SO_LIEU, r.official_rating), r.code
        else:
            assert r.period is not None and r.period[:4] == str(r.year), (r.code, r.period)
        for a in r.alternatives:
            assert a.period is None or a.period[:4] == str(r.year), (r.code, a)
    if as_of < dt.date(2025, 3, 31):  # nothing of 2025 has ended yet: no 2025 value, no stale green
        early = tg.target_results(sample_engine, as_of)
        assert all(r.value is None for r in early)
        assert all(r.rating in (tg.CHUA_CO_SO_LIEU, r.official_rating) for r in early)


def test_or_target_is_one_target_with_alternatives(sample_engine: Engine) -> None:
    assert on_lines(S002, 215, "ít nhất 20% hoặc tỷ lệ vốn đăng ký của doanh nghiệp")
    r = _results(sample_engine)["PS25-DN20"]
    assert [a.indicator_code for a in r.alternatives] == ["DN_MOI_TANG", "VON_DN_TANG"]
    assert r.rating == tg.combine_alternatives([a.rating for a in r.alternatives])
    assert tg.combine_alternatives([tg.CHUA_DAT, tg.DAT]) == tg.DAT
    assert tg.combine_alternatives([tg.CHUA_DAT, tg.CHUA_CO_SO_LIEU]) == tg.CHUA_CO_SO_LIEU
    assert tg.combine_alternatives([tg.CHUA_DAT, tg.GAN_DAT]) == tg.GAN_DAT
    with sample_engine.connect() as conn:  # stored once, not as two targets that must both be met
        years = conn.execute(select(tb.TARGET.c.code).where(tb.TARGET.c.source_quote.like("%hoặc tỷ lệ vốn đăng ký%"))).all()
    assert len(years) == 1


def test_deadline_of_a_2025_plan_in_2026_stays_a_2025_target(sample_engine: Engine) -> None:
    assert on_lines(S002, 184, "Đến 31/01/2026: Hoàn thành 100% kế hoạch được giao")
    r = _results(sample_engine)["PS25-GN100"]
    assert (r.year, r.deadline, r.document) == (2025, dt.date(2026, 1, 31), "5399/KH-UBND")


def test_rating_rule() -> None:
    """The gần-đạt rule: short by at most 5% of the target (ranks: 2 places); direction respected."""
    assert tg.rate(66.5, ">=", 70)[0] == tg.GAN_DAT
    assert tg.rate(66.4, ">=", 70)[0] == tg.CHUA_DAT
    assert tg.rate(100, "=", 100)[0] == tg.DAT
    assert tg.rate(95, "=", 100)[0] == tg.GAN_DAT
    assert tg.rate(6, "<=", 5)[0] == tg.CHUA_DAT and tg.rate(5, "<=", 5)[0] == tg.DAT
    assert tg.rate(1, "=", 0, "down")[0] == tg.CHUA_DAT and tg.rate(0, "=", 0, "down")[0] == tg.DAT
    assert tg.rate(17, "top", 15)[0] == tg.GAN_DAT and tg.rate(18, "top", 15)[0] == tg.CHUA_DAT
    assert tg.rate(None, ">=", 50)[0] == tg.CHUA_CO_SO_LIEU
    assert tg.rate(85.85, ">=", 90) == (tg.GAN_DAT, pytest.approx(4.15))


def test_every_stored_quote_is_in_its_document(sample_engine: Engine) -> None:
    t = tb.TARGET
    with sample_engine.connect() as conn:
        rows = conn.execute(select(t.c.code, t.c.seed_file, t.c.seed_line, t.c.seed_line_end, t.c.source_quote)).all()
    assert len(rows) >= 90
    for code, seed, first, last, quote in rows:
        assert seed and quote and on_lines(seed, (first, last), quote), code


def test_generated_values_never_contradict_the_documents(sample_engine: Engine) -> None:
    """Sample values are flagged, stand where the documents are silent, and never beside a document's rating."""
    i, iv, t = tb.INDICATOR, tb.INDICATOR_VALUE, tb.TARGET
    with sample_engine.connect() as conn:
        samples = conn.execute(select(i.c.code, iv.c.period, iv.c.value, iv.c.source)
                               .select_from(iv.join(i, i.c.id == iv.c.indicator_id))
                               .where(iv.c.is_sample.is_(True))).all()
        rated = {c for (c,) in conn.execute(select(i.c.code).select_from(t.join(i, i.c.id == t.c.indicator_id))
                                            .where(t.c.official_rating != ""))}
    assert samples
    assert all(source == "Số liệu mẫu (sinh tự động)" for *_, source in samples)
    codes = {code for code, *_ in samples}
    # Beside a document's own Đạt/Không đạt, a generated value never concludes otherwise.
    for r in _results(sample_engine).values():
        if r.official_rating and r.sample:
            assert r.rating == r.official_rating, r.code
    assert not codes & (rated - {"HL_GIAI_QUYET_TTHC", "TT_THANH_TOAN_TT", "PL3-6.2"})
    # Boundary-free procedures: 2 of 1.884 (about 0,1%) at 31/3/2025, never a generated 79-94%.
    assert "TTHC_PHI_DIA_GIOI" not in codes
    # The documents' own figures of 2025 are not overtaken by generated ones.
    for code in ("HS_TT_TONG", "HS_TTTT_TONG", "GIAM_DVSN", "DVSN_TU_CHU", "PL1-7.3", "GIAM_BC_SN"):
        assert code not in codes, code
    # A generated series starts from the document's last figure (digitisation 69,04% in Q1/2025).
    first = sorted((p, v) for c, p, v, _ in samples if c == "PL3-6.1")[0]
    assert first[0] == "2025-Q2" and 69.04 < first[1] < 75


def test_contradictions_are_pinned_and_shown(sample_engine: Engine) -> None:
    assert on_lines(S001, 1532, "đạt 87,92% và tăng 2,22% so với năm 2023")
    assert on_lines(S001, 1532, "mục tiêu mức độ hài lòng năm 2025.\tĐạt")
    assert on_lines(S001, 131, "năm 2025 đạt 85,85%")
    r = _results(sample_engine)["BC25-HLHC90"]
    assert (r.value, r.period, r.rating, r.official_rating) == (85.85, "2025", tg.GAN_DAT, tg.DAT)
    assert "85,85%" in r.note and "87,92%" in r.note
    assert on_lines(S001, 1517, "Đến quý I/2025, tỷ lệ số hóa hồ sơ của tỉnh đạt 79,18%")
    assert "69,04%" in _results(sample_engine)["MT25-SOHOA"].note


def test_overview_counts_follow_the_targets(sample_engine: Engine) -> None:
    """The leadership views' red count and the slides use the same judgement (one row per target)."""
    progress = indicator_progress(sample_engine, AS_OF)
    results = _results(sample_engine)
    assert set(progress["code"]) == set(results)
    for _, row in progress.iterrows():
        assert row["rag"] == results[row["code"]].rag


def test_targets_cli_json(sample_db_file: Path) -> None:
    """`python -m data_access targets --json --as-of` prints the same judgement, one object per target."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{sample_db_file}"}
    out = subprocess.run([sys.executable, "-m", "data_access", "targets", "--json", "--as-of", AS_OF.isoformat()],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    objects = {o["code"]: o for o in json.loads(out.stdout)}
    assert {"indicator", "year", "comparator", "target", "alternatives", "value", "period", "rating", "source",
            "sample"} <= set(objects["BC25-HSTT50"])
    online = objects["BC25-HSTT50"]
    assert (online["value"], online["rating"], online["period"], online["sample"]) == (24.99, "chua_dat", "2025-Q1",
                                                                                       False)
    assert online["indicator"]["code"] == "HS_TT_TONG"
    assert online["source"]["seed"] == S001 and online["source"]["line"] == 1521
    assert objects["PS25-PARUP5"]["rating"] == "chua_dat" and objects["PS25-PARUP5"]["base_year"] == 2024
    assert len(objects["PS25-DN20"]["alternatives"]) == 2
    assert {o["rating"] for o in objects.values()} <= set(tg.RATINGS)
    for o in objects.values():
        assert o["period"] is None or o["period"] == tg.OFFICIAL_PERIOD or o["period"][:4] == str(o["year"])
    bad = subprocess.run([sys.executable, "-m", "data_access", "targets", "--as-of", "31/12/2025"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "ngày không hợp lệ" in bad.stderr and "Traceback" not in bad.stderr
