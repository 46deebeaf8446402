"""A realistic corpus of quarterly returns, each with its truth table (issue 11's acceptance instrument).

`returns.build_corpus(engine)` builds, from the sample store's real tasks, returns as real
.xlsx bytes imitating how agencies fill them (title rows, merged headers, prose status, tick
marks, hidden rows and sheets, instruction sheets, one sheet per quarter, the plans' own
headers, pre-2025 agency names, signature blocks, Word-pasted rows, abbreviated texts).
`judge` runs each through the importer's dry run and compares every row with the truth.
`python -m tests.corpus.build OUTDIR` writes the corpus; `python -m tests.corpus.report`
prints the per-habit table.
"""
