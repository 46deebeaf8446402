"""`python -m tests.corpus.report [--files]`: the per-habit table of the current importer on the corpus.

Builds a fresh sample store in a temporary folder (never touches data/), runs every return
of the corpus through the dry run and prints the table (and, with --files, each file's
exit status and every wrong or missed row).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from data_access.db import make_engine
    from sample_data.build import load_sample
    from tests.corpus.judge import format_files, format_table, judge_corpus, temp_workdir
    from tests.corpus.returns import build_corpus

    with temp_workdir() as tmp:
        url = f"sqlite:///{Path(tmp) / 'sample.db'}"
        engine = make_engine(url)
        load_sample(engine)
        corpus = build_corpus(engine)
        engine.dispose()
        results = judge_corpus(corpus, Path(tmp), database_url=url)
        if "--files" in argv:
            print(format_files(results))
            print()
        print(format_table(results))
        sources = {fr.run.source for fr in results}
        if sources != {"json"}:
            print(f"(hàng đọc từ: {', '.join(sorted(sources))}; 'legacy' = JSON của trình nhập chưa có 'rows')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
