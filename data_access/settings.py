"""Declared settings, read from the environment: one registry, `REGISTRY`, is the list of them.

Each `SettingSpec` names an environment variable, its default and what it does (Vietnamese). The
settings page (pages/quan_tri_cau_hinh.py) renders from the registry, README's "Cấu hình" table is
`readme_table()` verbatim (tests/test_settings.py checks both, datasette's
test_settings_are_documented), and `get_settings` reads the app's settings through it. A new
setting: one entry here (with `field` when the app reads it through `Settings`), the field on
`Settings`, and README's table updated (tests/test_settings.py shows the table expected).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from data_access import status
from data_access.vn import fmt_number

ROOT = Path(__file__).resolve().parents[1]

APP, SERVER, TEST = "app", "server", "test"  # who reads the setting: `Settings`, the server/sign-in, the tests


@dataclass(frozen=True)
class SettingSpec:
    """One declared setting.

    `default` is the value as documented (None: no default); `default_note` says more in README's
    default column. `field` is the `Settings` attribute it fills (None: read where it is used).
    `label` is the short Vietnamese name on the settings page; `unit` follows a whole-number value
    there. `secret`: its value is never shown.
    """

    env: str
    default: str | None
    help: str
    scope: str = APP
    field: str | None = None
    label: str = ""
    unit: str = ""
    default_note: str = ""
    secret: bool = False

    @property
    def readme_default(self) -> str:
        text = f"`{self.default}`" if self.default is not None else "–"
        return f"{text} ({self.default_note})" if self.default_note else text


REGISTRY: tuple[SettingSpec, ...] = (
    SettingSpec("DATABASE_URL", "sqlite:///data/cchc.db",
                "Kho dữ liệu. SQLite (chế độ WAL, khóa ngoại bật) hoặc `postgresql+psycopg://...`",
                field="database_url", label="Kho dữ liệu"),
    SettingSpec("CCHC_DUE_SOON_DAYS", str(status.DUE_SOON_DAYS), "Số ngày trước hạn để coi nhiệm vụ là \"sắp đến hạn\"",
                field="due_soon_days", label="Ngưỡng 'sắp đến hạn'", unit="ngày"),
    SettingSpec("CCHC_RETURN_DUE_DAYS", "15",
                "Hạn nộp báo cáo quý: số ngày sau ngày cuối quý (mặc định quý III/2026 hạn 15/10/2026)",
                field="return_due_days", label="Hạn nộp báo cáo quý", unit="ngày sau ngày cuối quý"),
    SettingSpec("CCHC_REMINDER_DAYS", "7", "`notify`: số ngày trước hạn nộp báo cáo quý bắt đầu gửi thư nhắc",
                label="Bắt đầu nhắc nộp báo cáo", unit="ngày trước hạn"),
    SettingSpec("CCHC_NOTIFY_DIGEST_TO", None,
                "`notify`: địa chỉ e-mail của Sở Nội vụ nhận thư tổng hợp (bỏ trống: không gửi thư tổng hợp)",
                label="E-mail nhận thư tổng hợp"),
    SettingSpec("CCHC_SMTP_HOST", None, "`notify`: máy chủ SMTP (bắt buộc để gửi thư)", label="Máy chủ gửi thư"),
    SettingSpec("CCHC_SMTP_PORT", "25", "`notify`: cổng SMTP (thường 587 khi dùng STARTTLS)",
                label="Cổng máy chủ gửi thư", unit=""),
    SettingSpec("CCHC_SMTP_USER", None, "`notify`: tài khoản đăng nhập SMTP (chỉ đăng nhập khi có biến này)",
                label="Tài khoản gửi thư"),
    SettingSpec("CCHC_SMTP_PASSWORD", None, "`notify`: mật khẩu của `CCHC_SMTP_USER`", label="Mật khẩu gửi thư",
                secret=True),
    SettingSpec("CCHC_SMTP_FROM", None, "`notify`: địa chỉ người gửi (bắt buộc để gửi thư)", label="Địa chỉ người gửi"),
    SettingSpec("CCHC_SMTP_STARTTLS", None, "`notify`: `1` để nâng kết nối lên TLS (STARTTLS) trước khi đăng nhập",
                label="STARTTLS khi gửi thư"),
    SettingSpec("CCHC_UPLOAD_MAX_MB", "10", "Dung lượng tối đa một tệp báo cáo tải lên",
                field="upload_max_mb", label="Dung lượng tối đa một tệp tải lên", unit="MB"),
    SettingSpec("CCHC_UPLOAD_MAX_ROWS", "20000", "Số dòng tối đa một tệp báo cáo",
                field="upload_max_rows", label="Số dòng tối đa một tệp", unit="dòng"),
    SettingSpec("CCHC_UPLOAD_MAX_CELL_CHARS", "5000", "Độ dài tối đa một ô",
                field="upload_max_cell_chars", label="Độ dài tối đa một ô", unit="ký tự"),
    SettingSpec("CCHC_CREDENTIALS_FILE", "data/credentials.yaml", "Tệp tài khoản (ngoài git, quyền 0600)",
                field="credentials_file", label="Tệp tài khoản"),
    SettingSpec("CCHC_MODE", "demo",
                "`demo` (tạo tài khoản trình diễn, tự nạp dữ liệu mẫu vào kho trống) hoặc `production` (không bao "
                "giờ nạp dữ liệu mẫu tự động)", field="mode", label="Chế độ chạy"),
    SettingSpec("CCHC_RESTORE_MAX_MB", "256",
                "Trần dung lượng giải nén của tệp sao lưu khi khôi phục (chống bom nén)",
                label="Trần dung lượng giải nén khi khôi phục", unit="MB"),
    SettingSpec("CCHC_COOKIE_KEY", None,
                "Khóa ký cookie đăng nhập, ≥ 32 ký tự, giống nhau trên mọi bản sao (bắt buộc ở `production`; hoặc "
                "`[auth] cookie_key` trong secrets)", scope=SERVER, label="Khóa ký cookie đăng nhập",
                default_note="demo: tự sinh trong `data/.cookie_key`", secret=True),
    SettingSpec("CCHC_COOKIE_SECURE", None,
                "`1`: luôn đánh dấu cookie đăng nhập `Secure` (mặc định: tự nhận biết HTTPS)", scope=SERVER,
                label="Cookie đăng nhập chỉ qua HTTPS"),
    SettingSpec("FORWARDED_ALLOW_IPS", "127.0.0.1,::1",
                "Địa chỉ proxy được tin cho `X-Forwarded-For`/`-Proto` (của uvicorn, máy chủ của Streamlit)",
                scope=SERVER, label="Proxy được tin"),
    SettingSpec("CCHC_TEST_BACKENDS", "sqlite,postgresql",
                "Kiểm thử: các hệ quản trị chạy bộ kiểm thử dữ liệu (thiếu PostgreSQL thì kiểm thử thất bại, không "
                "bỏ qua)", scope=TEST),
    SettingSpec("CCHC_TEST_PG_URL", None,
                "Kiểm thử: PostgreSQL có sẵn; bỏ trống thì `scripts/test_postgres.sh` tự cài (gói Debian) và khởi "
                "động một cụm riêng", scope=TEST),
)
BY_ENV = {spec.env: spec for spec in REGISTRY}


def raw(env: str) -> str | None:
    """The variable as set (stripped), or None when unset or blank. `env` must be declared."""
    value = os.environ.get(BY_ENV[env].env, "").strip()
    return value or None


def int_setting(env: str) -> int:
    """A whole-number setting: its value, or its declared default; ValueError (Vietnamese) when not a number."""
    text = raw(env)
    if text is None:
        default = BY_ENV[env].default
        assert default is not None, env
        return int(default)
    try:
        return int(text)
    except ValueError as exc:
        raise ValueError(f"Biến môi trường {env} phải là số nguyên, nhận được {text!r}") from exc


@dataclass(frozen=True)
class Settings:
    database_url: str
    due_soon_days: int
    upload_max_mb: int
    upload_max_rows: int
    upload_max_cell_chars: int
    credentials_file: Path
    mode: str  # "demo" or "production"
    return_due_days: int = 15  # a quarter's return is due this many days after the quarter ends


def get_settings() -> Settings:
    """Settings from the environment; defaults (the registry's) suit a single-machine demo.

    Relative default paths are under the project folder (`data/cchc.db`, `data/credentials.yaml`).
    """
    return Settings(
        database_url=raw("DATABASE_URL") or f"sqlite:///{ROOT / 'data' / 'cchc.db'}",
        due_soon_days=int_setting("CCHC_DUE_SOON_DAYS"),
        upload_max_mb=int_setting("CCHC_UPLOAD_MAX_MB"),
        upload_max_rows=int_setting("CCHC_UPLOAD_MAX_ROWS"),
        upload_max_cell_chars=int_setting("CCHC_UPLOAD_MAX_CELL_CHARS"),
        credentials_file=Path(raw("CCHC_CREDENTIALS_FILE") or ROOT / "data" / "credentials.yaml"),
        mode=(raw("CCHC_MODE") or "demo").lower(),
        return_due_days=int_setting("CCHC_RETURN_DUE_DAYS"),
    )


def shown_value(spec: SettingSpec, settings: Settings) -> str:
    """The value in force as the settings page shows it (Vietnamese; a password in the database
    address and a secret are never shown)."""
    if spec.secret:
        return "đã đặt" if raw(spec.env) else "chưa đặt" + (f" ({spec.default_note})" if spec.default_note else "")
    if spec.field is not None:
        value: object = getattr(settings, spec.field)
    elif spec.unit:
        try:
            value = int_setting(spec.env)
        except ValueError as exc:
            return f"không hợp lệ: {exc}"
    else:
        value = raw(spec.env) or spec.default
    if value is None:
        return "–"
    if spec.env == "DATABASE_URL":
        from sqlalchemy.engine import make_url

        return make_url(str(value)).render_as_string(hide_password=True)
    if spec.env == "CCHC_MODE":
        return "trình diễn" if value == "demo" else "vận hành"
    if isinstance(value, int):
        return f"{fmt_number(value)} {spec.unit}".strip()
    return str(value)


def page_rows(settings: Settings) -> list[tuple[str, str, str]]:
    """(variable, value in force, meaning) for every setting of the app and the server, in registry order."""
    return [(spec.env, shown_value(spec, settings), spec.label) for spec in REGISTRY if spec.scope != TEST]


def readme_table() -> str:
    """README's "Cấu hình" table, one row per declared setting, in registry order."""
    rows = ["| Biến | Mặc định | Tác dụng |", "| --- | --- | --- |"]
    rows += [f"| `{spec.env}` | {spec.readme_default} | {spec.help} |" for spec in REGISTRY]
    return "\n".join(rows)

