"""Command line: `python -m data_access COMMAND ...` (see `--help`).

Expected failures print a Vietnamese message on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from data_access.db import get_engine, init_db
from data_access.queries import store_stats


def _cmd_init_db(_: argparse.Namespace) -> int:
    init_db(get_engine())
    print("Đã khởi tạo kho dữ liệu.")
    return 0


CONFIRM_PRODUCTION_SAMPLE = "--xoa-du-lieu-that"


def _cmd_load_sample(args: argparse.Namespace) -> int:
    """Load the sample. In production mode refused (exit 2) unless `--xoa-du-lieu-that` is given, with
    `--user` an active administrator; always audited (the audit log is kept through `--reset`)."""
    from data_access.cli_user import SOURCE_CLI, CliUserRefused, cli_actor
    from data_access.settings import get_settings
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
    from data_access.cli_user import SOURCE_CLI, CliUserRefused, cli_actor

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
    from data_access.queries import Filters, has_sample_data
    from data_access.settings import get_settings

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
    Path(args.output).write_bytes(render_deck(snap, before, comparison, sample=has_sample_data(engine)))
    print(f"Đã xuất {len(meeting.SLIDE_TITLES)} trang trình chiếu vào {args.output}.")
    return 0


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


def _cmd_user(argv: Sequence[str]) -> int:
    from data_access.auth import CredentialStore, user_cli
    from data_access.settings import get_settings

    args = list(argv)
    engine = None
    if args and args[0] not in ("list", "-h", "--help"):  # account changes are audited in the store
        from data_access.db import get_engine, init_db

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

    from data_access.auth import CredentialStore, check_production_ready, cookie_key_from_env_or_secrets
    from data_access.settings import ROOT, get_settings

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


def _cmd_import(argv: Sequence[str]) -> int:
    from data_access.importer import import_cli

    return import_cli(argv)


def _cmd_undo(argv: Sequence[str]) -> int:
    from data_access.importer import undo_cli

    return undo_cli(argv)


def _cmd_template(argv: Sequence[str]) -> int:
    from data_access.templates import template_cli

    return template_cli(list(argv))


EXTRA_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"user": _cmd_user, "preflight": _cmd_preflight,
                                                            "import": _cmd_import, "template": _cmd_template,
                                                            "undo": _cmd_undo}


def main(argv: Sequence[str] | None = None) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
