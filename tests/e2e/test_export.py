"""Take it away: the lanes' series as CSV and JSON, the charts as one PNG; no cloud button."""

import base64
import csv
import io
import json

import pytest

from .run_page import WAIT_MS, headless_results, lane_count, start_run

pytestmark = pytest.mark.e2e


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
        """async (source) => {
            const image = new Image();
            image.src = source;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
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
