"""Which pages exist and which role may open each; `dashboard.py` builds the navigation from it."""

from __future__ import annotations

from dataclasses import dataclass

from data_access import permissions


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: everything `dashboard.py` needs to route to it (it names no page itself)."""

    path: str
    title: str
    icon: str
    url_path: str
    section: str
    action: str  # the permission needed (data_access.permissions.PERMISSIONS)
    default: bool = False  # the page served at the root address (exactly one)
    full_screen: bool = False  # drawn without the sidebar's demo banner (slides carry their own footer)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/tong_quan.py", "Tổng quan", ":material/home:", "tong-quan", "Theo dõi", "view", default=True),
    PageSpec("pages/chi_so.py", "Chỉ số PAR INDEX, SIPAS", ":material/leaderboard:", "chi-so-par-index-sipas", "Theo dõi",
             "view"),
    PageSpec("pages/tien_do_linh_vuc.py", "Tiến độ theo lĩnh vực", ":material/stacked_bar_chart:", "tien-do-linh-vuc", "Theo dõi", "view"),
    PageSpec("pages/qua_han_co_quan.py", "Quá hạn theo cơ quan", ":material/schedule:", "qua-han-co-quan", "Theo dõi", "view"),
    PageSpec("pages/nop_bao_cao.py", "Tình hình nộp báo cáo", ":material/fact_check:", "nop-bao-cao", "Theo dõi",
             "view"),
    PageSpec("pages/chi_tieu.py", "Chỉ tiêu 2025 - 2026", ":material/target:", "chi-tieu", "Theo dõi", "view"),
    PageSpec("pages/xep_hang_co_quan.py", "Xếp hạng cơ quan", ":material/military_tech:", "xep-hang-co-quan", "Theo dõi",
             "view"),
    PageSpec("pages/nhiem_vu.py", "Nhiệm vụ", ":material/list_alt:", "nhiem-vu", "Theo dõi", "view"),
    PageSpec("pages/giai_trinh.py", "Giải trình", ":material/record_voice_over:", "giai-trinh", "Theo dõi", "view"),
    PageSpec("pages/trinh_chieu.py", "Trình chiếu", ":material/slideshow:", "trinh-chieu", "Họp giao ban", "present",
             full_screen=True),
    PageSpec("pages/cap_nhat.py", "Cập nhật số liệu", ":material/upload_file:", "cap-nhat", "Cập nhật số liệu", "upload"),
    PageSpec("pages/lich_su_tai_len.py", "Lịch sử tải lên", ":material/history:", "lich-su-tai-len", "Cập nhật số liệu", "view_history"),
    PageSpec("pages/quan_tri_tai_khoan.py", "Tài khoản", ":material/manage_accounts:", "tai-khoan", "Quản trị", "manage_users"),
    PageSpec("pages/quan_tri_co_quan.py", "Danh mục cơ quan", ":material/account_tree:", "co-quan", "Quản trị",
             "manage_agencies"),
    PageSpec("pages/quan_tri_lien_ket.py", "Liên kết nhiệm vụ – chỉ số", ":material/link:", "lien-ket-chi-so", "Quản trị",
             "manage_settings"),
    PageSpec("pages/quan_tri_cau_hinh.py", "Cấu hình", ":material/settings:", "cau-hinh", "Quản trị", "manage_settings"),
    PageSpec("pages/quan_tri_nhat_ky.py", "Nhật ký hoạt động", ":material/receipt_long:", "nhat-ky", "Quản trị", "view_audit"),
)


DEFAULT_PAGE: PageSpec = next(p for p in PAGES if p.default)
FULL_SCREEN_URLS = frozenset(p.url_path for p in PAGES if p.full_screen)


def visible_pages(role: str) -> list[PageSpec]:
    """The pages `role` may open, in menu order."""
    return [p for p in PAGES if permissions.can(role, p.action)]


def hidden_pages(role: str) -> list[PageSpec]:
    """The pages `role` may not open: kept routable but hidden, so a URL shows the refusal."""
    return [p for p in PAGES if not permissions.can(role, p.action)]
