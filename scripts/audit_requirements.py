"""Checks the pinned requirements against the advisories PyPI publishes (make audit).

PyPI's JSON API lists, for a project's latest release, the known vulnerabilities of that release
(``vulnerabilities``: from the OSV database, which imports the PyPA advisory database). Here only
PyPI, Debian and npm are reachable, and PyPI's per-release JSON (``/pypi/NAME/VERSION/json``,
which pip-audit's ``pypi`` service reads) is not served, nor is osv.dev: pip-audit finds every pin
"not found". So this reads the project JSON, and a pin can be checked only while it is the
project's latest release; an older pin is reported as not checked, never as clean.

    python scripts/audit_requirements.py requirements/base.txt requirements/dev.txt

Exit status: 0 every pin checked and none vulnerable; 1 a pin has known vulnerabilities; 2 some
pins could not be checked (and none of the others is vulnerable).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_URL = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#]+)")

Fetch = Callable[[str], dict | None]


@dataclass
class Finding:
    name: str
    version: str
    latest: str | None = None
    vulnerabilities: list[dict] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return self.latest == self.version


def pins(paths: Iterable[Path]) -> dict[str, str]:
    """``{name: version}`` of every ``name==version`` line, following ``-r`` includes."""
    found: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("-r "):
                found |= pins([path.parent / line.split(None, 1)[1].strip()])
            elif match := PIN.match(line):
                found[match.group(1).lower()] = match.group(3)
    return found


def fetch_project(name: str) -> dict | None:
    """PyPI's JSON of project ``name``; None when PyPI does not know it."""
    try:
        with urllib.request.urlopen(PROJECT_URL.format(name=name), timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def audit(pinned: dict[str, str], fetch: Fetch = fetch_project) -> list[Finding]:
    """One finding per pin: the latest release PyPI knows and, if it is the pin, its advisories."""
    findings = []
    for name, version in sorted(pinned.items()):
        project = fetch(name)
        finding = Finding(name, version)
        if project is not None:
            finding.latest = project["info"]["version"]
            if finding.checked:
                finding.vulnerabilities = list(project.get("vulnerabilities") or [])
        findings.append(finding)
    return findings


def report(findings: list[Finding]) -> tuple[str, int]:
    """The text to print and the exit status (see the module's docstring)."""
    lines = []
    vulnerable = [finding for finding in findings if finding.vulnerabilities]
    unchecked = [finding for finding in findings if not finding.checked]
    for finding in vulnerable:
        for advisory in finding.vulnerabilities:
            ids = ", ".join([advisory.get("id", "?"), *advisory.get("aliases", [])])
            fixed = ", ".join(advisory.get("fixed_in") or []) or "no fixed release yet"
            lines.append(f"VULNERABLE {finding.name}=={finding.version}: {ids} (fixed in {fixed})")
    for finding in unchecked:
        why = (
            f"PyPI's latest is {finding.latest}; advisories are only published here for it"
            if finding.latest
            else "unknown to PyPI"
        )
        lines.append(f"NOT CHECKED {finding.name}=={finding.version}: {why}")
    checked = len(findings) - len(unchecked)
    lines.append(
        f"{checked} of {len(findings)} pins checked against PyPI's advisories (OSV), "
        f"{len(vulnerable)} vulnerable, {len(unchecked)} not checked"
    )
    status = 1 if vulnerable else 2 if unchecked else 0
    return "\n".join(lines), status


def main(arguments: list[str]) -> int:
    paths = [Path(argument) for argument in arguments] or [Path("requirements/dev.txt")]
    text, status = report(audit(pins(paths)))
    print(text)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
