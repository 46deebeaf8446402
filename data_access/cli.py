"""Every command of `python -m data_access COMMAND ...` (see `--help`): the only module that prints.

Commands call the core (`data_access.*`), which returns values and raises Vietnamese errors;
this module turns them into text or JSON on stdout and messages on stderr. Expected failures
print a Vietnamese message on stderr and exit non-zero, never a traceback.

Who a command-line write acts as (README, "Dòng lệnh"): `--user NAME` must name an existing,
active account whose role may do the action (the same permission table as the web pages,
`permissions.PERMISSIONS`); otherwise the command is refused (exit 2, Vietnamese message)
before anything is written. Without `--user`: refused in production mode; in demo mode the
command acts as an administrator recorded as `cli:<OS user>` (demo stores hold no real figures).
Every record a command-line write leaves (upload summary, audit line) says it came from the
command line (:data:`SOURCE_CLI`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from data_access.accounts import CredentialStore, normalize_username, validate_username
from data_access.db import get_engine, init_db
from data_access.permissions import (
    ACTION_LABELS,
    ROLE_LABELS,
    AccountError,
    Actor,
    PermissionDenied,
    can,
    roles_help,
    validate_role,
    write_audit,
)
from data_access.queries import store_stats
from data_access.settings import Settings, get_settings

# ------------------------------------------------------------- who a command acts as

SOURCE_CLI = "dòng lệnh"


class CliUserRefused(Exception):
    """`--user` does not name an active account allowed to do the action; `str(exc)` is Vietnamese."""


def cli_actor(name: str | None, action: str, settings: Settings | None = None) -> Actor:
    """The actor a command-line write acts as; raises CliUserRefused (see the module docstring)."""
    settings = settings or get_settings()
    what = ACTION_LABELS.get(action, action)
    if not name or not name.strip():
        if settings.mode == "production":
            raise CliUserRefused(
                f"Ở chế độ vận hành, hãy ghi --user TÊN_ĐĂNG_NHẬP: một tài khoản đang hoạt động có quyền {what} "
                "(người thực hiện được ghi vào lịch sử và nhật ký).")
        return Actor.system(None)
    key = normalize_username(name)
    try:
        users = CredentialStore(settings.credentials_file).list_users()
    except AccountError as exc:
        raise CliUserRefused(f"Không kiểm tra được tài khoản '{name}': {exc}") from None
    record = next((u for u in users if u["username"] == key), None)
    if record is None:
        raise CliUserRefused(
            f"Không có tài khoản '{name}' trong tệp tài khoản ({settings.credentials_file}). "
            "Hãy ghi --user là tên đăng nhập của một tài khoản đang hoạt động (xem: python -m data_access user list).")
    if record["disabled"]:
        raise CliUserRefused(f"Tài khoản '{key}' đang bị vô hiệu hóa, không thực hiện được thao tác này.")
    role = record["role"]
    if role is None or not can(role, action):
        label = ROLE_LABELS.get(role or "", "không rõ vai trò")
        raise CliUserRefused(f"Tài khoản '{key}' ({label}) không có quyền {what}.")
    return Actor(key, role)


# ------------------------------------------------------------------ store commands


def _cmd_init_db(_: argparse.Namespace) -> int:
    init_db(get_engine())
    print("Đã khởi tạo kho dữ liệu.")
    return 0


CONFIRM_PRODUCTION_SAMPLE = "--xoa-du-lieu-that"


def _cmd_load_sample(args: argparse.Namespace) -> int:
    """Load the sample. In production mode refused (exit 2) unless `--xoa-du-lieu-that` is given, with
    `--user` an active administrator; always audited (the audit log is kept through `--reset`)."""
    from sample_data.build import load_sample

    production = get_settings().mode == "production"
    if production and not args.xoa_du_lieu_that:
        print("Từ chối: đang ở chế độ vận hành (CCHC_MODE=production); kho dữ liệu thật không được nạp dữ liệu mẫu"
              + (" và --reset sẽ xóa toàn bộ số liệu, lịch sử tải lên" if args.reset else "")
              + f". Nếu thật sự muốn, chạy lại với {CONFIRM_PRODUCTION_SAMPLE} --user TÊN_QUẢN_TRỊ "
              "(nên sao lưu trước: python -m data_access backup -o TỆP).", file=sys.stderr)
        return 2
    try:
        actor = cli_actor(args.user, "manage_settings")
    except CliUserRefused as exc:
        print(f"Từ chối: {exc}", file=sys.stderr)
        return 2
    engine = get_engine()
    init_db(engine)
    before = store_stats(engine)
    detail = (f"Nạp dữ liệu mẫu{' sau khi xóa toàn bộ dữ liệu cũ' if args.reset else ''} · "
              f"trước đó: {before['tasks']} nhiệm vụ, {before['status_reports']} báo cáo, {before['uploads']} lần "
              f"tải lên · chế độ {'vận hành, đã xác nhận ' + CONFIRM_PRODUCTION_SAMPLE if production else 'trình diễn'}"
              f" · nguồn: {SOURCE_CLI}")
    load_sample(engine, reset=args.reset, audit_as=(actor.username, detail))
    stats = store_stats(engine)
    print(f"Đã nạp dữ liệu mẫu: {stats['plans']} kế hoạch, {stats['tasks']} nhiệm vụ, "
          f"{stats['status_reports']} báo cáo tiến độ, {stats['indicators']} chỉ tiêu.")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    engine = get_engine()
    init_db(engine)
    stats = store_stats(engine)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    from data_access.db import migrate, schema_revision

    engine = get_engine()
    before = schema_revision(engine)
    migrate(engine)
    print(f"Cấu trúc dữ liệu: {before or 'chưa có'} -> {schema_revision(engine)}.")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from data_access.backup import backup

    counts = backup(get_engine(), Path(args.output))
    print(f"Đã sao lưu {sum(counts.values())} bản ghi vào {args.output}.")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    """Validate the backup first; refusals (bad backup, `--user` refused) exit 2 with the store unchanged."""
    from pathlib import Path

    from data_access.backup import BackupRefused, check_backup, restore

    try:
        actor = cli_actor(args.user, "manage_settings")
        engine = get_engine()
        if args.dry_run:
            plan = check_backup(engine, Path(args.file))
            print(f"Bản sao lưu {args.file} hợp lệ (cấu trúc {plan.revision}, tạo lúc {plan.created_at}). "
                  "Khôi phục sẽ thay toàn bộ nội dung (bảng: số bản ghi hiện tại -> trong bản sao lưu):")
            for line in plan.lines():
                print(f"  {line}")
            print("Chạy thử (--dry-run): không thay đổi gì.")
            return 0
        counts = restore(engine, Path(args.file), actor, source=SOURCE_CLI)
    except (BackupRefused, CliUserRefused) as exc:
        print(f"Từ chối khôi phục: {exc}", file=sys.stderr)
        return 2
    print(f"Đã khôi phục {sum(counts.values())} bản ghi từ {args.file}.")
    return 0


def _cmd_deck(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from data_access import meeting
    from data_access.clock import today_vn
    from data_access.deck import render_deck
    from data_access.queries import has_sample_data
    from data_access.status_sql import Filters

    engine = get_engine()
    init_db(engine)
    if args.snapshot is not None:
        snap = meeting.load_snapshot(engine, args.snapshot)
    else:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else today_vn()
        snap = meeting.current_view(engine, Filters(as_of=as_of, due_soon_days=get_settings().due_soon_days),
                                    "Số liệu hiện tại", "Tất cả kế hoạch")
    before = meeting.previous_snapshot(engine, snap)
    comparison = meeting.compare(before, snap) if before else None
    from data_access.conclusions import list_conclusions
    from data_access.follow_up import request_rows

    requests = request_rows(engine)  # the follow-up as it stands now, on slides 4 and 6
    previous = list_conclusions(engine, before.id) if before is not None and before.id is not None else []
    Path(args.output).write_bytes(render_deck(snap, before, comparison, sample=has_sample_data(engine),
                                              requests=requests, conclusions=previous))
    print(f"Đã xuất {len(meeting.SLIDE_TITLES)} trang trình chiếu vào {args.output}.")
    return 0


def _cmd_notify(args: argparse.Namespace) -> int:
    """Reminders and past-due notices by e-mail (cron / systemd timer). Exit 2: SMTP not configured;
    exit 1: some message could not be sent (reported; it is tried again next run)."""
    from data_access.mailer import MailerNotConfigured
    from data_access.notify import KIND_LABELS, notify
    from data_access.vn import fmt_period

    engine = get_engine()
    init_db(engine)
    try:
        report = notify(engine, args.as_of, dry_run=args.dry_run)
    except MailerNotConfigured as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        verb = "Sẽ gửi (chạy thử, không gửi, không ghi gì)" if args.dry_run else "Đã gửi"
        for n in report.sent:
            print(f"{verb}: thư {KIND_LABELS[n.kind]} {fmt_period(n.period)} · {n.agency} · {n.to} · {n.subject}")
            if args.dry_run:
                print("    " + n.body.replace("\n", "\n    "))
        for n in report.no_address:
            print(f"Chưa có địa chỉ e-mail, không gửi được: thư {KIND_LABELS[n.kind]} {fmt_period(n.period)} · {n.agency}"
                  + (" (đặt CCHC_NOTIFY_DIGEST_TO)" if n.agency_id is None else " (cập nhật ở trang Danh mục cơ quan)"))
        print(f"{verb}: {len(report.sent)} thư · chưa có địa chỉ: {len(report.no_address)} · đã gửi từ trước "
              f"(bỏ qua): {report.already_sent} · lỗi: {len(report.errors)}.")
    for error in report.errors:
        print(f"Lỗi: {error}", file=sys.stderr)
    return 1 if report.errors else 0


def _iso_date(text: str) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (cần dạng YYYY-MM-DD, ví dụ 2026-09-30)") from None


def _cmd_targets(args: argparse.Namespace) -> int:
    """Every 2025/2026 target judged at --as-of (default today, Vietnam time), as the Chỉ tiêu page shows it."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from data_access.targets import RATING_LABELS, target_trends
    from data_access.vn import fmt_period, fmt_target, fmt_value

    engine = get_engine()
    init_db(engine)
    as_of = args.as_of or dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    results = target_trends(engine, as_of)
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=1))
        return 0
    for r in results:
        print(f"{r.code}\t{r.year}\t{fmt_target(r.comparator, r.target, r.unit, r.base_year)}\t"
              f"{fmt_value(r.value, r.unit)}\t{fmt_period(r.period) if r.period else 'Chưa có số liệu kỳ này'}\t{RATING_LABELS[r.rating]}"
              f"{' (mẫu)' if r.sample else ''}\t{r.label}")
    return 0


def _cmd_returns(args: argparse.Namespace) -> int:
    """Obligations of one quarter: who owes a return, due date, received, on time / late / missing."""
    from data_access.returns import STATUS_LABELS, obligations, summary
    from data_access.vn import fmt_date, fmt_period

    engine = get_engine()
    init_db(engine)
    try:
        items = obligations(engine, args.period, today=args.as_of)
    except ValueError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([o.as_json() for o in items], ensure_ascii=False, indent=1))
        return 0
    for o in items:
        got = o.received_at.strftime("%d/%m/%Y %H:%M") if o.received_at else "chưa nhận"
        print(f"{o.agency}\t{fmt_period(o.period)}\thạn {fmt_date(o.due)}\t{got}\t{STATUS_LABELS[o.status]}")
    s = summary(items)
    print(f"Phải nộp: {s['expected']} · đúng hạn: {s['on_time']} · trễ hạn: {s['late']} · "
          f"chưa nộp (quá hạn): {s['missing']} · chưa đến hạn: {s['not_due']}")
    return 0


# ------------------------------------------------------- accounts: user, preflight

NEW_PASSWORD_ENV = "CCHC_NEW_PASSWORD"


def read_password_no_echo(prompt: str = "Mật khẩu mới: ") -> str:
    """Read a password twice without echo; raise :class:`AccountError` if they differ
    or input ends. Validation is the caller's job."""
    try:
        first = getpass.getpass(prompt)
        second = getpass.getpass("Nhập lại mật khẩu: ")
    except EOFError as exc:
        raise AccountError("Không đọc được mật khẩu (đầu vào đã kết thúc).") from exc
    if first != second:
        raise AccountError("Hai lần nhập mật khẩu không khớp.")
    return first


def _new_password() -> str:
    from_env = os.environ.get(NEW_PASSWORD_ENV)
    if from_env:
        return from_env
    return read_password_no_echo()


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as AccountError instead of exiting."""

    def error(self, message: str) -> Any:
        raise AccountError(f"Lệnh không hợp lệ ({message}). Xem hướng dẫn: user --help")


def _user_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="user", description="Quản lý tài khoản đăng nhập bảng điều hành CCHC."
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    add = sub.add_parser(
        "add", help="tạo tài khoản (mật khẩu nhập ẩn, hoặc lấy từ CCHC_NEW_PASSWORD)"
    )
    add.add_argument(
        "username", help="tên đăng nhập: chữ không dấu, số, . _ - ; 3-32 ký tự"
    )
    add.add_argument("--name", default=None, help="họ tên hiển thị")
    add.add_argument("--role", default=None, help=f"vai trò: {roles_help()}")
    add.add_argument("--email", default="", help="thư điện tử (không bắt buộc)")
    passwd = sub.add_parser("passwd", help="đặt lại mật khẩu (và mở khóa tạm)")
    passwd.add_argument("username")
    disable = sub.add_parser("disable", help="vô hiệu hóa tài khoản")
    disable.add_argument("username")
    enable = sub.add_parser("enable", help="kích hoạt lại tài khoản")
    enable.add_argument("username")
    role = sub.add_parser("role", help="đổi vai trò (kết thúc mọi phiên đăng nhập của tài khoản)")
    role.add_argument("username")
    role.add_argument("role", help=f"vai trò mới: {roles_help()}")
    logout = sub.add_parser("logout", help="kết thúc mọi phiên đăng nhập của tài khoản (cookie cũ bị từ chối)")
    logout.add_argument("username")
    listing = sub.add_parser("list", help="liệt kê tài khoản")
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    return parser


def _print_table(users: list[dict[str, Any]], out: TextIO) -> None:
    if not users:
        print("Chưa có tài khoản nào.", file=out)
        return
    rows = [("Tên đăng nhập", "Họ tên", "Vai trò", "Trạng thái")]
    for u in users:
        status = "đã vô hiệu hóa" if u["disabled"] else "đang hoạt động"
        if u.get("locked_until"):
            status += f" (tạm khóa đến {u['locked_until']})"
        rows.append(
            (u["username"], u["name"], ROLE_LABELS.get(u["role"] or "", "?"), status)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:3]))
            + "  "
            + r[3],
            file=out,
        )


def user_cli(argv: list[str], store: CredentialStore, engine: Any = None) -> int:
    """Run ``add | passwd | role | logout | disable | enable | list`` against ``store``.

    Returns 0 on success; 2 on bad input (:class:`AccountError`, message on
    stderr, no traceback); 1 if the file cannot be written; 130 if interrupted.
    New passwords come from env ``CCHC_NEW_PASSWORD`` when set (scripts, tests),
    otherwise they are read twice without echo. With an ``engine``, every account
    change is written to the audit log as ``cli:<OS user>`` with source "dòng lệnh";
    if the log cannot be written the change stands and a warning is printed.
    """
    parser = _user_parser()
    done: tuple[str, str] | None = None  # (audit action, detail) of a successful change
    try:
        if not argv:
            parser.print_help(sys.stderr)
            raise AccountError("Thiếu lệnh: add, passwd, role, logout, disable, enable hoặc list.")
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        if args.command == "add":
            if not args.name or not args.name.strip():
                raise AccountError("Thiếu --name (họ tên hiển thị).")
            if not args.role:
                raise AccountError(f"Thiếu --role. Chọn một trong: {roles_help()}.")
            username = normalize_username(args.username)
            validate_username(username)
            validate_role(args.role)
            # Fail before asking for a password.
            if username in store.load()["credentials"]["usernames"]:
                raise AccountError(f"Tài khoản '{username}' đã tồn tại.")
            store.add_user(
                username, args.name, args.role, _new_password(), email=args.email
            )
            print(f"Đã tạo tài khoản '{username}' ({ROLE_LABELS[args.role]}).")
            done = ("tao_tai_khoan", f"{username} ({args.role})")
        elif args.command == "passwd":
            username = normalize_username(args.username)
            if username not in store.load()["credentials"]["usernames"]:
                raise AccountError(f"Không có tài khoản '{args.username}'.")
            store.set_password(username, _new_password())
            print(f"Đã đổi mật khẩu cho tài khoản '{username}' (mọi phiên đăng nhập cũ đã kết thúc).")
            done = ("doi_mat_khau", username)
        elif args.command == "role":
            username = normalize_username(args.username)
            store.set_role(username, args.role)
            print(f"Đã đổi vai trò của '{username}' thành {ROLE_LABELS[args.role]} (mọi phiên đăng nhập cũ đã kết thúc).")
            done = ("doi_vai_tro", f"{username} ({args.role})")
        elif args.command == "logout":
            username = normalize_username(args.username)
            store.end_sessions(username)
            print(f"Đã kết thúc mọi phiên đăng nhập của '{username}'.")
            done = ("ket_thuc_phien", username)
        elif args.command == "disable":
            store.disable(args.username)
            print(f"Đã vô hiệu hóa tài khoản '{normalize_username(args.username)}'.")
            done = ("khoa_tai_khoan", normalize_username(args.username))
        elif args.command == "enable":
            store.enable(args.username)
            print(f"Đã kích hoạt lại tài khoản '{normalize_username(args.username)}'.")
            done = ("mo_khoa_tai_khoan", normalize_username(args.username))
        elif args.command == "list":
            users = store.list_users()
            if args.json:
                print(json.dumps(users, ensure_ascii=False, indent=2))
            else:
                _print_table(users, sys.stdout)
        else:  # only options, no command
            raise AccountError("Thiếu lệnh: add, passwd, role, logout, disable, enable hoặc list.")
    except AccountError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nĐã hủy.", file=sys.stderr)
        return 130
    except OSError as exc:
        print(
            f"Lỗi: không ghi được tệp tài khoản {store.path}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    if done is not None and engine is not None:
        try:
            write_audit(engine, Actor.system(), done[0], f"{done[1]}; nguồn: {SOURCE_CLI}")
        except Exception as exc:  # noqa: BLE001 - the change is made; say the log entry is missing
            print(f"Cảnh báo: đã thực hiện nhưng không ghi được nhật ký hoạt động ({exc.__class__.__name__}).",
                  file=sys.stderr)
    return 0


def _cmd_user(argv: Sequence[str]) -> int:
    """`user ...` against the configured credentials file; changes are audited when the store opens."""
    args = list(argv)
    engine = None
    if args and args[0] not in ("list", "-h", "--help"):  # account changes are audited in the store
        try:
            engine = get_engine()
            init_db(engine)
        except Exception as exc:  # noqa: BLE001 - the account file is still usable; say the log is missing
            print(f"Cảnh báo: không mở được kho dữ liệu để ghi nhật ký ({exc.__class__.__name__}).", file=sys.stderr)
            engine = None
    return user_cli(args, CredentialStore(get_settings().credentials_file), engine)


def _cmd_preflight(argv: Sequence[str]) -> int:
    """Refuse to start in production with a missing/default cookie key or demo accounts."""
    import tomllib

    from data_access.accounts import check_production_ready, cookie_key_from_env_or_secrets
    from data_access.settings import ROOT

    settings = get_settings()
    if settings.mode == "demo":
        print("Chế độ trình diễn: bỏ qua kiểm tra vận hành.")
        return 0
    secrets_file = ROOT / ".streamlit" / "secrets.toml"
    secrets = tomllib.loads(secrets_file.read_text(encoding="utf-8")) if secrets_file.exists() else None
    problems = check_production_ready(settings, CredentialStore(settings.credentials_file),
                                      cookie_key_from_env_or_secrets(secrets))
    if problems:
        print("Không thể khởi động ở chế độ vận hành (production):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    print("Sẵn sàng vận hành.")
    return 0


# --------------------------------------------------------------- returns: import, undo, template


def _cmd_import(argv: Sequence[str]) -> int:
    """`python -m data_access import FILE [--agency NAME] [--period 2026-Q3] [--resolve decisions.json]
    [--dry-run] [--json] [--user NAME]`.

    `--resolve` reads the officer's decisions: `{"decisions": [{"sheet": "Báo cáo", "row": 12,
    "task": "SNV26-P1-09"}, {"sheet": "Báo cáo", "row": 13, "task": null}], "accept_above": 0.9}`
    (`task` null leaves the row out; `accept_above`, optional, accepts every row's top suggestion
    scored at least that, when clearly ahead of the next; an explicit decision wins). `--json`
    prints one object with the counts, `errors` and `rows` (one object per task row read: sheet,
    row, outcome, task, state, progress, completed_on, message, suggestions [{task, score, why}]).

    Acts as `--user` (an active account allowed to upload, see `cli_actor`; checked
    before the file is read, dry runs included); the upload and audit records say "dòng lệnh".
    Exit 0 when the file was read (rejected rows are reported), 2 when it is refused as a
    whole or `--user` is refused, 1 for other failures (database unreachable, unknown agency
    given). Never a traceback.
    """
    from pathlib import Path

    from data_access.importer import (
        CHANGED,
        NEW,
        OUTCOMES,
        REJECTED,
        SKIPPED,
        UNCHANGED,
        apply_import,
        error_dict,
        find_agency,
        preview,
        row_dict,
        skipped_summary,
        suggested_decisions,
    )
    from data_access.matching import AMBIGUOUS, UNMATCHED, read_decisions
    from data_access.period_lock import PeriodLocked
    from data_access.vn import fmt_decimal, fmt_period
    from data_access.xlsx_safety import CellError, FileRefused

    parser = argparse.ArgumentParser(prog="python -m data_access import",
                                     description="Nhập báo cáo quý (.xlsx) vào kho dữ liệu CCHC")
    parser.add_argument("file", help="tệp báo cáo .xlsx")
    parser.add_argument("--agency", help="cơ quan báo cáo (mặc định: theo tệp)")
    parser.add_argument("--period", help="kỳ báo cáo, ví dụ 2026-Q3 (mặc định: theo tệp)")
    parser.add_argument("--resolve", metavar="decisions.json",
                        help="tệp JSON các lựa chọn đối chiếu (dòng -> mã nhiệm vụ hoặc null để bỏ qua; accept_above)")
    parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    parser.add_argument("--user", help="tên người thực hiện (ghi vào lịch sử và nhật ký)")
    args = parser.parse_args(list(argv))
    out: dict[str, Any] = {
        "file": args.file, "agency": args.agency, "period": args.period, "rows_read": 0,
        **{o: 0 for o in OUTCOMES}, "errors": [], "applied": False, "dry_run": args.dry_run, "upload_id": None,
        "rows": [],
    }

    def emit(code: int, lines: list[str]) -> int:
        if args.json:
            print(json.dumps(out, ensure_ascii=False, default=str))
        else:
            stream = sys.stdout if code == 0 else sys.stderr
            for line in lines:
                print(line, file=stream)
        return code

    try:
        actor = cli_actor(args.user, "upload")
    except CliUserRefused as exc:
        out["errors"] = [error_dict(CellError("", 0, "", "", str(exc)))]
        return emit(2, [f"Từ chối: {exc}"])
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        message = f"Không đọc được tệp {args.file}: {exc.strerror or exc}"
        out["errors"] = [error_dict(CellError("", 0, "", "", message))]
        return emit(2, [f"Lỗi: {message}"])
    decisions: dict[tuple[str, int], str | None] = {}
    threshold: float | None = None
    if args.resolve:
        try:
            decisions, threshold = read_decisions(json.loads(Path(args.resolve).read_text(encoding="utf-8")))
        except OSError as exc:
            message = f"Không đọc được tệp lựa chọn {args.resolve}: {exc.strerror or exc}"
            out["errors"] = [error_dict(CellError("", 0, "", "", message))]
            return emit(1, [f"Lỗi: {message}"])
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            message = f"Tệp lựa chọn {args.resolve} không hợp lệ: {exc}"
            out["errors"] = [error_dict(CellError("", 0, "", "", message))]
            return emit(1, [f"Lỗi: {message}"])
    try:
        engine = get_engine()
        init_db(engine)
        agency_id = None
        if args.agency:
            found = find_agency(engine, args.agency)
            if found is None:
                message = f"Không tìm thấy cơ quan '{args.agency}' trong danh mục."
                out["errors"] = [error_dict(CellError("", 0, "", "", message))]
                return emit(1, [f"Lỗi: {message}"])
            agency_id = found[0]
        try:
            plan = preview(engine, data, Path(args.file).name, agency_id=agency_id, period=args.period,
                           decisions=decisions)
            if threshold is not None:
                accepted = {**suggested_decisions(plan, threshold), **decisions}
                if accepted != decisions:
                    plan = preview(engine, data, Path(args.file).name, agency_id=agency_id, period=args.period,
                                   decisions=accepted)
        except FileRefused as exc:
            out["errors"] = [error_dict(e) for e in exc.errors]
            return emit(2, [f"Tệp bị từ chối: {exc.message}"])
        out.update({k: v for k, v in plan.summary().items() if k not in ("template_version", "file")})
        out["rows"] = [row_dict(r) for r in plan.rows]
        lines = [
            f"Tệp {plan.file_name}: {plan.agency_name}, {fmt_period(plan.period)}; đã đọc {plan.rows_read} dòng.",
            f"Mới: {plan.count(NEW)} · Thay đổi: {plan.count(CHANGED)} · Không đổi: {plan.count(UNCHANGED)} · "
            f"Lỗi: {plan.count(REJECTED)} · Chưa khớp: {plan.count(UNMATCHED)} · "
            f"Cần xác nhận: {plan.count(AMBIGUOUS)} · Để trống: {plan.count(SKIPPED)}",
            *plan.notes,
            *([skipped_summary(plan.skipped)] if plan.skipped else []),
            *(f"  - {e.sheet}, {e.message}" for e in plan.errors),
        ]
        for r in plan.rows:
            for rank, sug in enumerate(r.suggestions if r.outcome in (UNMATCHED, AMBIGUOUS) else [], start=1):
                lines.append(f"    {r.sheet}, dòng {r.row} – gợi ý {rank}: {sug.task} (điểm {fmt_decimal(sug.score)}; "
                             f"{sug.why})")
        if args.dry_run:
            lines.append("Chạy thử (--dry-run): không ghi gì vào kho dữ liệu.")
            return emit(0, lines)
        def writing() -> None:
            print("Đang ghi vào kho dữ liệu...", file=sys.stderr, flush=True)

        result = apply_import(engine, plan, actor, on_locked=writing, source=SOURCE_CLI)
        # The counts of the dry run are kept under "planned"; the top-level counts are those
        # of the apply, classified against the store under the write lock.
        out["planned"] = {o: out[o] for o in OUTCOMES}
        out.update({"applied": True, "upload_id": result.upload_id, "written": result.written,
                    "new": result.new, "changed": result.changed, "unchanged": result.unchanged})
        lines.append(f"Đã cập nhật: {result.message}")
        return emit(0, lines)
    except PeriodLocked as exc:  # a refusal, not a failure: exit 2 with who locked the quarter and when
        out["errors"] = [error_dict(CellError("", 0, "", "", str(exc)))]
        return emit(2, [str(exc)])
    except SQLAlchemyError as exc:
        message = f"Lỗi cơ sở dữ liệu: {exc.__class__.__name__}"
        out["errors"] = [error_dict(CellError("", 0, "", "", message))]
        return emit(1, [message])
    except (ValueError, OSError) as exc:
        out["errors"] = [error_dict(CellError("", 0, "", "", str(exc)))]
        return emit(1, [f"Lỗi: {exc}"])


def _cmd_undo(argv: Sequence[str]) -> int:
    """`python -m data_access undo UPLOAD_ID --user NAME [--json]`: undo one upload (see `undo_upload`).

    Exit 0 when done, 2 when refused (unknown or already undone upload, `--user` refused),
    1 for other failures (database unreachable). Never a traceback. `--json` prints
    `upload_id`, `undone`, `reports_deleted`, `values_deleted`, `reports_restored`,
    `values_restored`, `message`.
    """
    from data_access.importer import undo_upload

    parser = argparse.ArgumentParser(prog="python -m data_access undo",
                                     description="Hoàn tác một lần tải lên báo cáo quý")
    parser.add_argument("upload_id", type=int, help="số của lần tải lên (xem trang Lịch sử tải lên)")
    parser.add_argument("--user", help="tài khoản thực hiện (đang hoạt động, có quyền hoàn tác)")
    parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    args = parser.parse_args(list(argv))
    out: dict[str, Any] = {"upload_id": args.upload_id, "undone": False, "reports_deleted": 0, "values_deleted": 0,
                           "reports_restored": 0, "values_restored": 0, "message": ""}

    def emit(code: int, message: str) -> int:
        out["message"] = message
        if args.json:
            print(json.dumps(out, ensure_ascii=False))
        else:
            print(message if code == 0 else f"Từ chối: {message}" if code == 2 else f"Lỗi: {message}",
                  file=sys.stdout if code == 0 else sys.stderr)
        return code

    try:
        actor = cli_actor(args.user, "undo_upload")
        engine = get_engine()
        init_db(engine)
        result = undo_upload(engine, args.upload_id, actor, source=SOURCE_CLI)
    except (CliUserRefused, PermissionDenied, ValueError) as exc:
        return emit(2, str(exc))
    except SQLAlchemyError as exc:
        return emit(1, f"Lỗi cơ sở dữ liệu: {exc.__class__.__name__}")
    out.update({"undone": True, "reports_deleted": result.reports_deleted, "values_deleted": result.values_deleted,
                "reports_restored": result.reports_restored, "values_restored": result.values_restored})
    return emit(0, result.message)


def _cmd_template(argv: Sequence[str]) -> int:
    """`python -m data_access template --agency NAME --period 2026-Q3 -o FILE.xlsx`."""
    from pathlib import Path

    from data_access.importer import find_agency, quarter, reporting_agencies
    from data_access.templates import build_template, open_assignments
    from data_access.vn import fmt_period

    parser = argparse.ArgumentParser(prog="python -m data_access template",
                                     description="Tạo biểu mẫu báo cáo quý (.xlsx) cho một cơ quan")
    parser.add_argument("--agency", required=True, help="tên cơ quan, ví dụ 'Sở Nội vụ'")
    parser.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2026-Q3")
    parser.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi")
    args = parser.parse_args(list(argv))
    try:
        engine = get_engine()
        init_db(engine)
        found = find_agency(engine, args.agency)
        if found is None:
            names = ", ".join(reporting_agencies(engine)["name"].head(12))
            print(f"Lỗi: không tìm thấy cơ quan '{args.agency}' trong danh mục. Ví dụ tên hợp lệ: {names}, ...",
                  file=sys.stderr)
            return 1
        data = build_template(engine, found[0], args.period)
        Path(args.output).write_bytes(data)
    except (ValueError, OSError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"Lỗi cơ sở dữ liệu: {exc.__class__.__name__}", file=sys.stderr)
        return 1
    rows = len(open_assignments(engine, found[0], quarter(args.period)))
    print(f"Đã tạo biểu mẫu {args.output}: {found[1]}, {fmt_period(quarter(args.period))}, {rows} nhiệm vụ chưa hoàn thành.")
    return 0


# ------------------------------------------------------------------------ main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access", description="Kho dữ liệu CCHC tỉnh Khánh Hòa",
        epilog="Lệnh khác: user add|passwd|role|logout|disable|enable|list (tài khoản); preflight (kiểm tra chế độ vận hành); "
               "import FILE (nhập báo cáo quý .xlsx); undo UPLOAD_ID --user TÊN (hoàn tác một lần tải lên); template --agency --period -o (tạo biểu mẫu).")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="tạo các bảng còn thiếu").set_defaults(func=_cmd_init_db)
    load = sub.add_parser("load-sample", help="nạp dữ liệu mẫu từ các kế hoạch của tỉnh")
    load.add_argument("--reset", action="store_true", help="xóa dữ liệu hiện có trước khi nạp")
    load.add_argument("--user", default=None, help="tài khoản quản trị thực hiện (bắt buộc ở chế độ vận hành)")
    load.add_argument(CONFIRM_PRODUCTION_SAMPLE, dest="xoa_du_lieu_that", action="store_true",
                      help="xác nhận nạp dữ liệu mẫu ở chế độ vận hành (xóa số liệu thật khi có --reset)")
    load.set_defaults(func=_cmd_load_sample)
    sub.add_parser("migrate", help="nâng cấp cấu trúc dữ liệu, giữ nguyên dữ liệu").set_defaults(func=_cmd_migrate)
    bkp = sub.add_parser("backup", help="sao lưu toàn bộ kho dữ liệu (an toàn khi ứng dụng đang chạy)")
    bkp.add_argument("-o", "--output", required=True, help="tệp sao lưu (.json.gz)")
    bkp.set_defaults(func=_cmd_backup)
    rst = sub.add_parser("restore", help="khôi phục kho dữ liệu từ tệp sao lưu (thay toàn bộ nội dung)")
    rst.add_argument("file", help="tệp sao lưu")
    rst.add_argument("--user", default=None, help="tài khoản quản trị thực hiện (bắt buộc ở chế độ vận hành)")
    rst.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra tệp và cho biết sẽ thay những gì")
    rst.set_defaults(func=_cmd_restore)
    deck = sub.add_parser("deck", help="xuất bộ trình chiếu họp giao ban ra PDF")
    deck.add_argument("--snapshot", type=int, default=None, help="số của lần chốt số liệu (mặc định: số liệu hiện tại)")
    deck.add_argument("--as-of", default=None, help="ngày tính số liệu YYYY-MM-DD khi không chọn --snapshot")
    deck.add_argument("-o", "--output", required=True, help="tệp PDF")
    deck.set_defaults(func=_cmd_deck)
    tgt = sub.add_parser("targets", help="các chỉ tiêu 2025, 2026: giá trị cùng kỳ, đánh giá, nguồn")
    tgt.add_argument("--json", action="store_true", help="in một mảng JSON, mỗi chỉ tiêu một đối tượng")
    tgt.add_argument("--as-of", type=_iso_date, default=None, help="ngày tính số liệu YYYY-MM-DD (mặc định: hôm nay)")
    tgt.set_defaults(func=_cmd_targets)
    ret = sub.add_parser("returns", help="tình hình nộp báo cáo quý: cơ quan phải nộp, hạn, đúng hạn / trễ / chưa nộp")
    ret.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2026-Q3 hoặc Quý III/2026")
    ret.add_argument("--json", action="store_true", help="in một mảng JSON, mỗi nghĩa vụ báo cáo một đối tượng")
    ret.add_argument("--as-of", type=_iso_date, default=None, help="ngày xét quá hạn YYYY-MM-DD (mặc định: hôm nay)")
    ret.set_defaults(func=_cmd_returns)
    ntf = sub.add_parser("notify", help="gửi thư nhắc hạn, thư quá hạn nộp báo cáo quý và thư tổng hợp cho Sở Nội vụ")
    ntf.add_argument("--dry-run", action="store_true", help="chỉ in các thư sẽ gửi; không gửi, không ghi gì")
    ntf.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    ntf.add_argument("--as-of", type=_iso_date, default=None, help="ngày xét hạn YYYY-MM-DD (mặc định: hôm nay)")
    ntf.set_defaults(func=_cmd_notify)
    stats = sub.add_parser("stats", help="đếm số bản ghi")
    stats.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    stats.set_defaults(func=_cmd_stats)
    return parser


# Commands that parse their own arguments (their own usage errors and exit codes, tested as they are).
EXTRA_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"user": _cmd_user, "preflight": _cmd_preflight,
                                                            "import": _cmd_import, "template": _cmd_template,
                                                            "undo": _cmd_undo}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (`argv` defaults to `sys.argv[1:]`); returns its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in EXTRA_COMMANDS:
        return EXTRA_COMMANDS[argv[0]](argv[1:])
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except (RuntimeError, ValueError, KeyError, OSError, PermissionError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"Lỗi cơ sở dữ liệu: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
