"""The engine's import graph: the contracts in pyproject.toml ([tool.importlinter]) hold.

One contract refuses any import circle in simulator/ (type-only imports included), the other
keeps each part importing only the parts below it (engine over network over ... over scenario).
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
    assert "2 kept, 0 broken" in done.stdout
