"""Every citation of Kubernetes' behaviour points at something a clone of the repository has:
the project's own reference (docs/kubernetes-model.md) or Kubernetes' code and docs, never a
file outside the repository."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = ("k8s-semantics", "../shared/")
SUFFIXES = {".py", ".js", ".md", ".html", ".yaml", ".yml", ".toml", ".txt", ".css", ""}


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        ROOT / name
        for name in names
        if Path(name).suffix in SUFFIXES and not name.startswith("static/vendor/")
    ]


def test_no_file_cites_a_reference_outside_the_repository():
    files = tracked_text_files()
    assert any(path.name == "kubernetes-model.md" for path in files)
    cited = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in files
        if path.is_file() and path != Path(__file__)
        for word in OUTSIDE
        if word in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert cited == []
