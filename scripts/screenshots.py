"""Screenshots of the run page for the docs: the seed story paused at a moment worth showing.

Starts the dashboard as `make run` does, opens the seed story in headless Chromium (Playwright,
Debian's /usr/bin/chromium or PODVIZ_CHROMIUM), pauses it and seeks to ``--at`` seconds, and
writes docs/images/<theme>-<width>x<height>-<language>.png for the light and projector themes,
at 1280×720 and 1920×1080, in English and Korean, plus docs/images/run-page.png (the README's).

    .venv/bin/python scripts/screenshots.py [--at 130] [--out docs/images]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_server

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1280, 720), (1920, 1080))
THEMES = ("light", "projector")
LANGUAGES = ("en", "ko")
WAIT_MS = 60_000


def pause_at(page: Page, at: float) -> None:
    """Pause the run shown and seek it to ``at`` seconds."""
    page.wait_for_function(
        "() => window.podviz && window.podviz.statesReceived > 0", timeout=WAIT_MS
    )
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    page.evaluate("(at) => window.podviz.send({type: 'seek', time: at})", at)


def wait_drawn(page: Page, at: float) -> None:
    """Wait until the clock shows ``at`` and every lane's chart has drawn up to it."""
    page.wait_for_function(
        """(at) => window.podviz && window.podviz.time === at
            && [...document.querySelectorAll('.lane-chart')].every((chart) =>
                (chart.data || []).some((trace) => trace.x && trace.x.length
                    && trace.x[trace.x.length - 1] >= at - 1))""",
        arg=at,
        timeout=WAIT_MS,
    )
    page.evaluate("() => document.fonts.ready")
    # The canvas strips and the clock cursor follow the charts within a frame or two.
    page.wait_for_timeout(300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", type=float, default=130, help="simulated seconds shown")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-screenshots-{port}.sqlite3"
    server = start_server(port, database)
    url = f"http://127.0.0.1:{port}/scenarios/seed-story/play"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            for language in LANGUAGES:
                # One run per language, this browser its presenter; each shot reloads its page.
                context = browser.new_context(
                    locale=language, extra_http_headers={"Accept-Language": language}
                )
                page = context.new_page()
                page.goto(url)
                pause_at(page, args.at)
                shots = [(theme, size) for theme in THEMES for size in SIZES]
                if language == "en":
                    shots.append(("readme", (1600, 1000)))
                for theme, (width, height) in shots:
                    projector = "on" if theme == "projector" else "off"
                    page.evaluate(
                        """(projector) => {
                            localStorage.setItem('podviz.theme', 'light');
                            localStorage.setItem('podviz.projector', projector);
                        }""",
                        projector,
                    )
                    page.set_viewport_size({"width": width, "height": height})
                    page.reload()
                    wait_drawn(page, args.at)
                    name = (
                        "run-page.png"
                        if theme == "readme"
                        else f"{theme}-{width}x{height}-{language}.png"
                    )
                    page.screenshot(path=args.out / name)
                    print(args.out / name)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
