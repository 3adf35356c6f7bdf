"""make audit: pins read from the requirement files, checked against PyPI's advisories, and an
older pin reported as not checked, never as clean."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit_requirements.py")
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit  # dataclasses look their module up there
spec.loader.exec_module(audit)

ADVISORY = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fixed_in": ["2.0"]}
PROJECTS = {
    "clean": {"info": {"version": "1.0"}, "vulnerabilities": []},
    "bad": {"info": {"version": "1.0"}, "vulnerabilities": [ADVISORY]},
    "behind": {"info": {"version": "3.0"}, "vulnerabilities": []},
}


def test_pins_follow_includes_and_ignore_comments(tmp_path):
    (tmp_path / "base.txt").write_text("Django==6.1.3\npsycopg[binary]==3.3.9\n# x==1\n")
    (tmp_path / "dev.txt").write_text("-r base.txt\npytest==9.2.0  # tests\n")
    assert audit.pins([tmp_path / "dev.txt"]) == {
        "django": "6.1.3",
        "psycopg": "3.3.9",
        "pytest": "9.2.0",
    }


def test_a_vulnerable_pin_fails_with_its_advisory():
    text, status = audit.report(audit.audit({"clean": "1.0", "bad": "1.0"}, PROJECTS.get))
    assert status == 1
    assert "VULNERABLE bad==1.0: PYSEC-2099-1, CVE-2099-1 (fixed in 2.0)" in text


def test_an_older_pin_is_not_checked_and_says_why():
    text, status = audit.report(audit.audit({"clean": "1.0", "behind": "2.0"}, PROJECTS.get))
    assert status == 2
    assert "NOT CHECKED behind==2.0: PyPI's latest is 3.0" in text
    assert "1 of 2 pins checked" in text


def test_all_checked_and_clean():
    assert audit.report(audit.audit({"clean": "1.0"}, PROJECTS.get))[1] == 0


def test_pypi_reports_a_known_vulnerable_release():
    # pycrypto 2.6.1 is its last release and has published advisories (CVE-2013-7459).
    findings = audit.audit({"pycrypto": "2.6.1"})
    assert findings[0].checked
    assert any(advisory["id"].startswith("PYSEC-") for advisory in findings[0].vulnerabilities)
