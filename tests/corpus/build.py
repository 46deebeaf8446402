"""`python -m tests.corpus.build OUTDIR`: write every return of the corpus and its truth table.

Each return is written as OUTDIR/<name>.xlsx beside OUTDIR/<name>.truth.json (agency and
period an officer would choose, then one object per row). Uses a fresh sample store built
in a temporary folder, so the files match what `python -m sample_data` loads.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Cách dùng: python -m tests.corpus.build THƯ_MỤC", file=sys.stderr)
        return 2
    from data_access.db import make_engine
    from sample_data.build import load_sample
    from tests.corpus.returns import build_corpus

    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-corpus-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'sample.db'}")
        load_sample(engine)
        corpus = build_corpus(engine)
        engine.dispose()
    for cf in corpus:
        (out / cf.name).write_bytes(cf.data)
        truth = {"file": cf.name, "description": cf.description, "agency": cf.agency, "period": cf.period,
                 "rows": [dataclasses.asdict(t) for t in cf.truth]}
        (out / (cf.name.removesuffix(".xlsx") + ".truth.json")).write_text(
            json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{cf.name}: {sum(t.recordable for t in cf.truth)} dòng cần ghi, thói quen {', '.join(cf.habits)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
