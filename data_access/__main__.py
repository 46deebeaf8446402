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


def _cmd_load_sample(args: argparse.Namespace) -> int:
    from sample_data.build import load_sample

    engine = get_engine()
    load_sample(engine, reset=args.reset)
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
    from pathlib import Path

    from data_access.auth import Actor
    from data_access.backup import restore

    counts = restore(get_engine(), Path(args.file), Actor.system(args.user))
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access", description="Kho dữ liệu CCHC tỉnh Khánh Hòa",
        epilog="Lệnh khác: user add|passwd|disable|enable|list (tài khoản); preflight (kiểm tra chế độ vận hành); "
               "import FILE (nhập báo cáo quý .xlsx); template --agency --period -o (tạo biểu mẫu).")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="tạo các bảng còn thiếu").set_defaults(func=_cmd_init_db)
    load = sub.add_parser("load-sample", help="nạp dữ liệu mẫu từ các kế hoạch của tỉnh")
    load.add_argument("--reset", action="store_true", help="xóa dữ liệu hiện có trước khi nạp")
    load.set_defaults(func=_cmd_load_sample)
    sub.add_parser("migrate", help="nâng cấp cấu trúc dữ liệu, giữ nguyên dữ liệu").set_defaults(func=_cmd_migrate)
    bkp = sub.add_parser("backup", help="sao lưu toàn bộ kho dữ liệu (an toàn khi ứng dụng đang chạy)")
    bkp.add_argument("-o", "--output", required=True, help="tệp sao lưu (.json.gz)")
    bkp.set_defaults(func=_cmd_backup)
    rst = sub.add_parser("restore", help="khôi phục kho dữ liệu từ tệp sao lưu (thay toàn bộ nội dung)")
    rst.add_argument("file", help="tệp sao lưu")
    rst.add_argument("--user", default=None, help="tên người thực hiện (ghi nhật ký)")
    rst.set_defaults(func=_cmd_restore)
    deck = sub.add_parser("deck", help="xuất bộ trình chiếu họp giao ban ra PDF")
    deck.add_argument("--snapshot", type=int, default=None, help="số của lần chốt số liệu (mặc định: số liệu hiện tại)")
    deck.add_argument("--as-of", default=None, help="ngày tính số liệu YYYY-MM-DD khi không chọn --snapshot")
    deck.add_argument("-o", "--output", required=True, help="tệp PDF")
    deck.set_defaults(func=_cmd_deck)
    stats = sub.add_parser("stats", help="đếm số bản ghi")
    stats.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    stats.set_defaults(func=_cmd_stats)
    return parser


def _cmd_user(argv: Sequence[str]) -> int:
    from data_access.auth import CredentialStore, user_cli
    from data_access.settings import get_settings

    return user_cli(list(argv), CredentialStore(get_settings().credentials_file))


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


def _cmd_template(argv: Sequence[str]) -> int:
    from data_access.templates import template_cli

    return template_cli(list(argv))


EXTRA_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"user": _cmd_user, "preflight": _cmd_preflight,
                                                            "import": _cmd_import, "template": _cmd_template}


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
