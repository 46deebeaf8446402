"""Rebuild README.md's performance section from `make bench`'s JSON files.

Run as `python -m benchmarks.readme_table artifacts/bench_pages.json artifacts/bench_imports.json
[--readme README.md]` (`make bench` runs it). The section between `<!-- bench:start -->` and
`<!-- bench:end -->` is replaced; everything else in the README is left as it is. The date, machine
and load written are those recorded in the JSON, so the table always says when and where it was measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SHORT = {"SQLite": "SQLite", "PostgreSQL": "PG"}
IMPORT_STEPS = ["import: đọc trần", "import: chạy thử", "import: ghi", "import: tổng"]


def vn_num(x: float, digits: int = 2) -> str:
    """`1234.5` -> `1.234,50` (Vietnamese separators)."""
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _pages(measures: list[dict[str, Any]]) -> list[str]:
    rows = [m for m in measures if m.get("suite") == "pages"]
    if not rows:
        return []
    backends = list(dict.fromkeys(m["backend"] for m in rows))
    sizes = sorted({m["size"] for m in rows})
    names = list(dict.fromkeys(m["name"] for m in rows))
    fig = {(m["name"], m["backend"], m["size"]): m for m in rows}
    runs = rows[0].get("runs", 3)
    cols = [(b, n) for n in sizes for b in backends]
    out = [f"Thời gian trung vị một lần chạy AppTest của trang (giây, {runs} lần/trang, bộ đệm trống, đã đăng nhập, "
           "lịch sử 8 quý); tỷ lệ = thời gian ở cỡ lớn nhất / ở cỡ nhỏ nhất:", ""]
    head = ["Trang"] + [f"{SHORT.get(b, b)} {vn_int(n)}" for b, n in cols]
    if len(sizes) > 1:
        head += [f"tỷ lệ {SHORT.get(b, b)}" for b in backends]
    out.append("| " + " | ".join(head) + " |")
    out.append("| " + " | ".join("---" for _ in head) + " |")
    for name in names:
        cells = [name] + [vn_num(fig[(name, b, n)]["seconds"]) if (name, b, n) in fig else "–" for b, n in cols]
        if len(sizes) > 1:
            for b in backends:
                m = fig.get((name, b, sizes[-1]))
                cells.append(f"{vn_num(m['ratio'], 1)}x" if m and m["ratio"] is not None else "–")
        out.append("| " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        worst = {b: max(fig[(n, b, sizes[-1])]["ratio"] for n in names if (n, b, sizes[-1]) in fig)
                 for b in backends}
        verdict = "; ".join(f"{b}: tỷ lệ lớn nhất {vn_num(r, 1)}x ({'đạt' if r <= 2 else 'chưa đạt'})"
                            for b, r in worst.items())
        out += ["", f"Mục tiêu: mỗi trang ở {vn_int(sizes[-1])} nhiệm vụ không quá 2 lần chính nó ở "
                f"{vn_int(sizes[0])} nhiệm vụ. {verdict}."]
    return out


def _imports(measures: list[dict[str, Any]]) -> list[str]:
    rows = [m for m in measures if m.get("suite") == "imports"]
    if not rows:
        return []
    fig = {(m["name"], m["backend"], m["size"]): m for m in rows}
    keys = list(dict.fromkeys((m["backend"], m["size"]) for m in rows))
    keys.sort(key=lambda k: (k[1], k[0] != "SQLite"))
    out = ["Nhập báo cáo quý (giây; bội số so với python-calamine chỉ đọc tệp; bộ nhớ đỉnh tracemalloc):", "",
           "| CSDL | Dòng | Đọc trần | Chạy thử | Ghi (apply) | Tổng | Bộ nhớ đỉnh |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for backend, size in keys:
        cells = [backend, vn_int(size)]
        for step in IMPORT_STEPS:
            m = fig.get((step, backend, size))
            if m is None:
                cells.append("–")
            elif step == IMPORT_STEPS[0]:
                cells.append(vn_num(m["seconds"], 3))
            else:
                cells.append(f"{vn_num(m['seconds'], 3)} ({vn_num(m['ratio'], 1)}x)")
        mem = fig.get(("import: bộ nhớ đỉnh", backend, size))
        cells.append(f"{vn_num(mem['value'], 1)} MB" if mem else "–")
        out.append("| " + " | ".join(cells) + " |")
    big = max(size for _, size in keys)
    verdict = []
    for backend, size in keys:
        if size != big:
            continue
        total = fig.get(("import: tổng", backend, size))
        mem = fig.get(("import: bộ nhớ đỉnh", backend, size))
        if total:
            verdict.append(f"{backend} {vn_num(total['ratio'], 1)}x ({'đạt' if total['ratio'] <= 3 else 'chưa đạt'})"
                           + (f", {vn_num(mem['value'], 0)} MB" if mem else ""))
    out += ["", f"Mục tiêu: tổng (chạy thử + ghi, từ bytes đến dữ liệu đã ghi) không quá 3 lần đọc trần ở "
            f"{vn_int(big)} dòng, bộ nhớ đỉnh < 300 MB. " + "; ".join(verdict) + "."]
    return out


def section(measures: list[dict[str, Any]]) -> str:
    """The README section (heading to table notes) for these measures."""
    first = measures[0]
    when = dt.datetime.fromisoformat(first["date"])
    lines = [f"## Hiệu năng (đo ngày {when:%d/%m/%Y})", "",
             f"Máy: {first['machine']}; tải máy khi đo (1/5/15 phút): {first.get('load', '?')}. "
             "Bảng này được sinh từ `make bench` (tệp JSON trong `artifacts/`) bằng `python -m benchmarks.readme_table`.",
             ""]
    pages, imports = _pages(measures), _imports(measures)
    lines += pages
    if pages and imports:
        lines.append("")
    lines += imports
    return "\n".join(lines) + "\n"


def replace_section(readme: str, body: str) -> str:
    """`readme` with the text between the bench markers replaced by `body`."""
    if START not in readme or END not in readme:
        raise SystemExit(f"README thiếu dấu {START} ... {END}")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{body}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="JSON files written by --json")
    parser.add_argument("--readme", default=str(Path(__file__).resolve().parents[1] / "README.md"))
    args = parser.parse_args(argv)
    measures: list[dict[str, Any]] = []
    for name in args.files:
        path = Path(name)
        if path.exists():
            measures += json.loads(path.read_text(encoding="utf-8"))
    if not measures:
        raise SystemExit("Không có số liệu đo nào.")
    readme = Path(args.readme)
    readme.write_text(replace_section(readme.read_text(encoding="utf-8"), section(measures)), encoding="utf-8")
    print(f"Đã cập nhật {readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
