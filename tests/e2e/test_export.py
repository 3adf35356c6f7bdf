"""Take it away: the lanes' series as CSV and JSON, the charts as one PNG; no cloud button."""

import base64
import csv
import io
import json
import re

import pytest

from .run_page import WAIT_MS, headless_results, lane_count, start_run, switch_language

pytestmark = pytest.mark.e2e

HANGUL = re.compile(r"[\uac00-\ud7a3]")


# In the browser: the PNG given as the data URL `source` decoded onto a canvas, its RGBA bytes in
# `pixels` (JavaScript statements, the start of a function body).
PNG_PIXELS = """
    const image = new Image();
    image.src = source;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
"""


def run_to_end(page, live_server_url):
    start_run(page, live_server_url)
    page.locator("#to-end").click()
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )


def downloaded(page, button):
    with page.expect_download(timeout=WAIT_MS) as info:
        page.locator(button).click()
    download = info.value
    with open(download.path(), "rb") as file:
        return download.suggested_filename, file.read()


def test_csv_and_json_hold_what_the_charts_show(page, live_server_url):
    run_to_end(page, live_server_url)
    expected = headless_results("seed-story")

    name, body = downloaded(page, "#export-json")
    assert name == "seed-story-900s.json"
    exported = json.loads(body)
    assert exported["scenario"] == "seed-story" and exported["time"] == 900
    assert [lane["name"] for lane in exported["lanes"]] == [v["name"] for v in expected["variants"]]
    for lane, variant in zip(exported["lanes"], expected["variants"], strict=True):
        for key in ("time", "requests", "errors", "errorsByCause", "readyEndpoints"):
            assert lane[key] == variant["series"][key], key
        assert lane["totals"]["errors"] == variant["totals"]["errors"]

    name, body = downloaded(page, "#export-csv")
    assert name == "seed-story-900s.csv"
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and set(rows[0]) == {"lane", "time", "series", "key", "value"}
    for index, variant in enumerate(expected["variants"]):
        series = variant["series"]
        ready = [
            (float(row["time"]), float(row["value"]))
            for row in rows
            if row["lane"] == variant["name"] and row["series"] == "readyEndpoints"
        ]
        assert ready == [
            (float(t), float(v))
            for t, v in zip(series["time"], series["readyEndpoints"], strict=True)
        ]
        # The same numbers as the chart's "ready endpoints" line.
        drawn = page.evaluate(
            """(lane) => document.getElementById(`lane-chart-${lane}`).data
                .find(trace => trace.meta && trace.meta.kind === 'readyEndpoints').y""",
            index,
        )
        assert [value for _, value in ready] == drawn
        timeouts = [
            float(row["value"])
            for row in rows
            if row["lane"] == variant["name"]
            and row["series"] == "errorsByCause"
            and row["key"] == "Timeout"
        ]
        assert timeouts == [float(value) for value in series["errorsByCause"]["Timeout"]]


def test_png_holds_every_lane_with_the_legend(page, live_server_url):
    run_to_end(page, live_server_url)
    name, body = downloaded(page, "#export-png")
    assert name == "seed-story-900s.png"
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    picture = page.evaluate(
        "async (source) => {"
        + PNG_PIXELS
        + """
            const count = (r, g, b) => {
                let n = 0;
                for (let i = 0; i < pixels.length; i += 4) {
                    if (Math.abs(pixels[i] - r) < 10 && Math.abs(pixels[i + 1] - g) < 10
                        && Math.abs(pixels[i + 2] - b) < 10) n += 1;
                }
                return n;
            };
            const lanes = [...document.querySelectorAll('.lane-chart')]
                .map(chart => chart.getBoundingClientRect());
            return {
                width: image.naturalWidth,
                height: image.naturalHeight,
                chartsWidth: Math.max(...lanes.map(b => b.right))
                    - Math.min(...lanes.map(b => b.left)),
                chartsHeight: Math.max(...lanes.map(b => b.bottom))
                    - Math.min(...lanes.map(b => b.top)),
                timeout: count(0xD5, 0x5E, 0x00),
                serverError: count(0xE6, 0x9F, 0x00),
                legendFirstPod: count(0x00, 0x72, 0xB2),
                // web-1's share: its colour at 55 % over the white background.
                firstPodShare: count(115, 177, 213),
            };
        }""",
        "data:image/png;base64," + base64.b64encode(body).decode(),
    )
    assert picture["width"] >= picture["chartsWidth"]
    assert picture["height"] > picture["chartsHeight"]
    # Drawn chart data in the picture: the pods' shares and the errors, in their colours.
    assert picture["legendFirstPod"] >= 100  # the legend's swatch
    assert picture["firstPodShare"] > 10_000
    assert picture["timeout"] > 100 and picture["serverError"] > 100


def test_no_chart_offers_the_cloud(page, live_server_url):
    start_run(page, live_server_url)
    page.wait_for_function("() => window.podviz.redraws > 0", timeout=WAIT_MS)
    for lane in range(lane_count(page)):
        chart = page.locator(f"#lane-chart-{lane}")
        chart.hover()
        assert chart.locator(".modebar").count() == 1
        buttons = chart.locator(".modebar-btn").evaluate_all(
            "buttons => buttons.map(b => b.dataset.title || b.getAttribute('data-title'))"
        )
        assert buttons, "the mode bar has no buttons"
        assert not [b for b in buttons if "Cloud" in b or "Chart Studio" in b], buttons


# In a PNG given as a data URL: the best match of each text, rendered in the browser in the
# given font, with the picture's dark pixels (the "ink") anywhere above `below` pixels from the
# top: intersection over union of the two inks, 1 for the same pixels. The picture's strips: how
# many pixels have the colour of a "yes" cell.
FIND_IN_PNG = (
    "async ([source, texts, below]) => {"
    + PNG_PIXELS
    + """
    const width = image.naturalWidth, height = Math.min(image.naturalHeight, below);
    const dark = (i) => 0.3 * pixels[i] + 0.59 * pixels[i + 1] + 0.11 * pixels[i + 2] < 150;
    const ink = new Uint8Array(width * height);
    for (let y = 0; y < height; y += 1)
        for (let x = 0; x < width; x += 1) ink[y * width + x] = dark(4 * (y * canvas.width + x));
    let yes = 0;
    for (let i = 0; i < pixels.length; i += 4)
        if (Math.abs(pixels[i] - 0x00) < 8 && Math.abs(pixels[i + 1] - 0x9e) < 8
            && Math.abs(pixels[i + 2] - 0x73) < 8) yes += 1;
    const best = texts.map(({text, font}) => {
        const scratch = document.createElement('canvas').getContext('2d');
        scratch.font = font;
        const w = Math.ceil(scratch.measureText(text).width) + 2;
        const h = Math.ceil(parseFloat(font.match(/([\\d.]+)px/)[1]) * 1.6);
        scratch.canvas.width = w;
        scratch.canvas.height = h;
        scratch.font = font;
        scratch.textBaseline = 'middle';
        scratch.fillText(text, 1, h / 2);
        const alpha = scratch.getImageData(0, 0, w, h).data;
        const mask = [];
        for (let y = 0; y < h; y += 1)
            for (let x = 0; x < w; x += 1) if (alpha[4 * (y * w + x) + 3] > 110) mask.push([x, y]);
        const [ax, ay] = mask[0];
        let score = 0;
        for (let y = ay; y < height - h + ay; y += 1) {
            for (let x = ax; x < width - w + ax; x += 1) {
                if (!ink[y * width + x]) continue;
                const left = x - ax, top = y - ay;
                let both = 0;
                for (const [mx, my] of mask) both += ink[(top + my) * width + left + mx];
                if (both < mask.length * score) continue;
                let window = 0;
                for (let wy = 0; wy < h; wy += 1)
                    for (let wx = 0; wx < w; wx += 1) window += ink[(top + wy) * width + left + wx];
                score = Math.max(score, both / (mask.length + window - both));
            }
        }
        return {text, score};
    });
    return {best, yes};
}"""
)


def test_png_in_korean_holds_the_strips_the_panel_titles_and_a_korean_key(page, live_server_url):
    switch_language(page, live_server_url, "ko")
    run_to_end(page, live_server_url)
    # The page's own strings, in its language: the probe results of its key, the first panel's
    # title, each in the font the picture draws it in.
    labels = page.evaluate(
        """() => [...[...document.querySelectorAll('.legend-group')]
            .find(group => group.querySelector('.probe-mark'))
            .querySelectorAll('.legend-items > li')]
            .map(item => item.lastChild.textContent.trim())"""
    )
    assert all(HANGUL.search(label) for label in labels), labels
    title = page.evaluate(
        """() => { const title = document.querySelector('#lane-chart-0')
                .closest('.lane-figure').querySelector('.panel-title');
            const style = getComputedStyle(title);
            return {text: title.textContent.trim(),
                    font: `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`}; }"""
    )
    assert HANGUL.search(title["text"])
    family = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--font')")

    _, body = downloaded(page, "#export-png")
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [{"text": label, "font": f"14px {family}"} for label in labels]
    # What the export drew before it read the page's key: English whatever the language.
    texts += [{"text": "probe success", "font": f"14px {family}"}, title]
    found = page.evaluate(
        FIND_IN_PNG, ["data:image/png;base64," + base64.b64encode(body).decode(), texts, 400]
    )
    scores = {match["text"]: match["score"] for match in found["best"]}
    for label in labels:
        assert scores[label] > 0.6, scores
    assert scores["probe success"] < 0.4, scores
    assert scores[title["text"]] > 0.6, scores
    # The strips (a canvas over the chart): every pod's "yes" cells, in the lanes' rows.
    assert found["yes"] > 10_000
