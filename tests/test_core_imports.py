"""The core stays pure: importing every module of `data_access` never loads streamlit.

`data_access` is what the command line, the importer and the tests use without a browser session; a page-side
import creeping into it (streamlit, streamlit-authenticator) would tie the core to the UI. Checked in a fresh
interpreter, since this test process may already have streamlit loaded by other tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Imports every module of the package found on disk (new modules included), then reports what got loaded.
PROBE = """
import importlib, json, pkgutil, sys
import data_access
names = sorted(m.name for m in pkgutil.walk_packages(data_access.__path__, "data_access."))
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "streamlit" or m.startswith(("streamlit.", "streamlit_")))
print(json.dumps({"imported": names, "streamlit": loaded}))
"""


def test_importing_every_data_access_module_never_loads_streamlit() -> None:
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    modules = {Path(p).stem for p in (ROOT / "data_access").glob("*.py")} - {"__init__"}
    # Every module file was imported (the walk is not vacuous): queries, importer, meeting, the CLI entry...
    assert {f"data_access.{m}" for m in modules} <= set(result["imported"])
    assert "data_access.queries" in result["imported"] and "data_access.__main__" in result["imported"]
    assert result["streamlit"] == [], f"data_access loaded {result['streamlit']}"
