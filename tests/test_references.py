"""Every citation of Kubernetes' behaviour points at something a clone of the repository has:
the project's own reference (docs/kubernetes-model.md) or Kubernetes' code and docs, never a
file outside the repository."""

import ast
import re
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
        if Path(name).suffix in SUFFIXES and "static/vendor/" not in name
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


# A file cited by its path from the repository's root: a path whose first folder is one of the
# repository's own (``runs/host.py``, ``docs/deploy.md``), not a URL (``/static/podviz/run.js``)
# nor a name in the static files' namespace (``podviz/run.js``, not a folder here).
PATH = re.compile(
    r"(?<![\w./@:-])((?:[A-Za-z0-9_-]+/)+[A-Za-z0-9_-]+\.(?:py|md|js|mjs|html|css|yaml|yml|toml))"
    r"(?![\w*<{/-])"
)
# A document or module cited by its name alone (``deploy.md``, ``conftest.py``).
BARE_NAME = re.compile(r"(?<![\w./@:<{-])([A-Za-z0-9_-]+\.(?:md|py))(?![\w/-])")
# ``Class.member`` in the docs' code spans, and ``module.function()`` (with its parentheses: a
# dotted name without them is as often a field of a document, ``workload.conditions``).
QUALIFIED = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(\(\))?`")


# The manifests of the check corpus name the files of other projects they are modelled on.
OTHER_PROJECTS = ROOT / "tests" / "advisor" / "corpus"


def _cited(pattern: re.Pattern[str]) -> list[tuple[Path, str]]:
    return [
        (path, match)
        for path in tracked_text_files()
        if path.is_file()
        and path != Path(__file__)
        and path.suffix != ".txt"
        and OTHER_PROJECTS not in path.parents
        for match in pattern.findall(path.read_text(encoding="utf-8", errors="replace"))
    ]


def test_every_file_cited_by_its_path_exists():
    folders = {path.relative_to(ROOT).parts[0] for path in tracked_text_files()}
    stale = sorted(
        f"{path.relative_to(ROOT)}: {cited}"
        for path, cited in _cited(PATH)
        if cited.split("/")[0] in folders
        and not (ROOT / cited).exists()
        and not (path.parent / cited).exists()
    )
    assert stale == []


def test_every_document_or_module_cited_by_its_name_exists():
    names = {path.name for path in tracked_text_files()}
    stale = sorted(
        f"{path.relative_to(ROOT)}: {cited}"
        for path, cited in _cited(BARE_NAME)
        if cited not in names
    )
    assert stale == []


def _python_names() -> tuple[dict[str, set[str]], dict[str, list[set[str]]]]:
    """The names each class of the project defines (methods, class attributes, ``self.x``
    assignments) by class name, and the top-level names of each module by its file's stem."""
    classes: dict[str, set[str]] = {}
    modules: dict[str, list[set[str]]] = {}
    for path in tracked_text_files():
        if path.suffix != ".py" or path.parts[len(ROOT.parts)] in {"tests", "bench", "scripts"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                members = classes.setdefault(node.name, set())
                for inner in ast.walk(node):
                    if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                        members.add(inner.name)
                    elif isinstance(inner, ast.Name | ast.Attribute) and isinstance(
                        inner.ctx, ast.Store
                    ):
                        members.add(inner.id if isinstance(inner, ast.Name) else inner.attr)
            for name_node in ast.walk(node):
                if isinstance(name_node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    top.add(name_node.name)
                elif isinstance(name_node, ast.Name) and isinstance(name_node.ctx, ast.Store):
                    top.add(name_node.id)
        modules.setdefault(path.stem, []).append(top)
    return classes, modules


def test_every_class_member_or_module_name_the_docs_cite_exists():
    classes, modules = _python_names()
    documents = [path for path in tracked_text_files() if path.suffix == ".md"]
    stale = []
    for path in documents:
        for owner, name, call in QUALIFIED.findall(path.read_text(encoding="utf-8")):
            if owner in classes:
                known = name in classes[owner]
            elif owner in modules and call:
                known = any(name in top for top in modules[owner])
            else:
                continue  # not the project's Python (JavaScript, kubectl, a setting)
            if not known:
                stale.append(f"{path.relative_to(ROOT)}: {owner}.{name}")
    assert stale == []
