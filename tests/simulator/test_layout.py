"""The import graph: the contracts in pyproject.toml ([tool.importlinter]) hold.

Two are the engine's: no import circle in simulator/ (type-only imports included), and each part
importing only the parts below it (engine over network over ... over scenario). Two are the
Django side's: each app imports only the apps below it, and simulator/ imports no Django,
Channels or app.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout
