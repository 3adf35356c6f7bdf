"""Screenshots of a class: the presenter's projector view with a question open and after its
reveal, and a student's laptop view, in English and Korean.

Starts the dashboard as `make run` does, opens the seed story as a presenter in headless Chromium
(Playwright, Debian's /usr/bin/chromium or PODVIZ_CHROMIUM), joins a student with the class code,
asks the first question, answers it as the student, reveals it, and writes
docs/images/class-<moment>-<theme>-<width>x<height>-<language>.png (and class-code-... for the
page with the code and the QR code).

    .venv/bin/python scripts/class_screenshots.py [--out docs/images] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_server

ROOT = Path(__file__).resolve().parents[1]
WAIT_MS = 60_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--size", action="append", default=None, help="WIDTHxHEIGHT")
    parser.add_argument("--theme", action="append", default=None, help="projector or light")
    parser.add_argument("--language", action="append", default=None, help="en or ko")
    args = parser.parse_args()
    sizes = [tuple(int(n) for n in size.split("x")) for size in (args.size or ["1280x720"])]
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-class-shots-{port}.sqlite3"
    server = start_server(port, database)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            for language in args.language or ["en", "ko"]:
                for theme in args.theme or ["projector"]:
                    for width, height in sizes:
                        shoot(browser, base, language, theme, (width, height), args.out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.unlink(missing_ok=True)


def shoot(browser, base, language, theme, size, out) -> None:
    width, height = size
    name = f"{theme}-{width}x{height}-{language}"
    headers = {"Accept-Language": language}
    teacher = browser.new_context(
        locale=language, extra_http_headers=headers, viewport={"width": width, "height": height}
    )
    page = teacher.new_page()
    page.goto(base + "/")
    page.evaluate(
        "(projector) => { localStorage.setItem('podviz.theme', 'light');"
        " localStorage.setItem('podviz.projector', projector); }",
        "on" if theme == "projector" else "off",
    )
    page.goto(base + "/scenarios/seed-story/play?t=60")
    page.wait_for_function(
        "() => window.podviz && window.podviz.statesReceived > 0", timeout=WAIT_MS
    )
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    code = page.locator("#join-code").inner_text()
    page.screenshot(path=out / f"class-start-{name}.png")
    print(out / f"class-start-{name}.png")
    code_page = teacher.new_page()
    code_page.goto(base + (page.locator("#class-view").get_attribute("href") or ""))
    code_page.screenshot(path=out / f"class-code-{width}x{height}-{language}.png")
    print(out / f"class-code-{width}x{height}-{language}.png")
    code_page.close()

    student_context = browser.new_context(
        locale=language, extra_http_headers=headers, viewport={"width": 1280, "height": 800}
    )
    student = student_context.new_page()
    student.goto(base + "/join")
    student.locator("#join-code-input").fill(code)
    student.locator("#join-code-input").press("Enter")
    student.wait_for_function(
        "() => window.podviz && window.podviz.statesReceived > 0", timeout=WAIT_MS
    )

    page.locator("#ask").click()
    student.locator("#answer-value").wait_for(state="visible", timeout=WAIT_MS)
    student.locator("#answer-value").fill("40")
    student.locator("#answer").click()
    page.wait_for_function("() => window.podviz.question !== null", timeout=WAIT_MS)
    page.locator("#answer-count").filter(has_text="1").wait_for(timeout=WAIT_MS)
    page.screenshot(path=out / f"class-question-{name}.png")
    student.screenshot(path=out / f"class-student-question-{language}.png")
    print(out / f"class-question-{name}.png")

    page.locator("#reveal").click()
    page.wait_for_function("() => window.podviz.reveal !== null", timeout=WAIT_MS)
    student.wait_for_function("() => window.podviz.reveal !== null", timeout=WAIT_MS)
    page.wait_for_timeout(300)
    page.screenshot(path=out / f"class-reveal-{name}.png")
    student.screenshot(path=out / f"class-student-reveal-{language}.png")
    print(out / f"class-reveal-{name}.png")
    student_context.close()
    teacher.close()


if __name__ == "__main__":
    main()
