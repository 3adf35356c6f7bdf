"""The readiness lane's errors panel shows the node failure's predicted damage as a band over the
window Kubernetes' timing predicts, with its label."""

import pytest

from simulator.advisor.prediction import predicted_damage
from simulator.engine.simulation import run_scenario
from simulator.scenario.presets import load_preset

from .run_page import WAIT_MS, pause_at, start_run, switch_language

pytestmark = pytest.mark.e2e


def node_down_prediction(variant: str) -> dict:
    scenario = load_preset("seed-story")
    predictions = predicted_damage(scenario, run_scenario(scenario))
    return next(p.as_dict() for p in predictions if p.variant == variant and p.action == "NodeDown")


def drawn_band(page, lane: int) -> dict:
    """The lane's prediction shapes and labels as the figure holds them, and where the SVG drew
    the shapes and the errors panel, in page pixels."""
    return page.evaluate(
        """(lane) => {
            const chart = document.getElementById(`lane-chart-${lane}`);
            const box = (element) => {
                const rect = element.getBoundingClientRect();
                return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
            };
            const xaxis = chart._fullLayout.xaxis;
            const chartBox = chart.getBoundingClientRect();
            // The predictions' shapes (the score window's greyed seconds are others).
            const bands = chart.layout.shapes.filter(s => (s.name || '').startsWith('prediction'));
            return {
                shapes: bands.map(shape => ({
                    type: shape.type, xref: shape.xref, yref: shape.yref,
                    x0: shape.x0, x1: shape.x1, y0: shape.y0, y1: shape.y1,
                })),
                labels: chart.layout.annotations.map(annotation => annotation.text),
                hovers: chart.layout.annotations.map(annotation => annotation.hovertext),
                errorsDomain: chart.layout.yaxis2.domain,
                paths: [...chart.querySelectorAll('.shapelayer path')]
                    .filter(path => bands.includes(chart.layout.shapes[path.dataset.index]))
                    .map(box),
                texts: [...chart.querySelectorAll('.annotation-text')].map(t => t.textContent),
                pixelOf: (xs => xs.map(x => chartBox.left + xaxis._offset + xaxis.l2p(x)))(
                    bands.flatMap(shape => [shape.x0, shape.x1])),
            };
        }""",
        lane,
    )


def band_at(page, time: float) -> dict:
    """Pause at ``time``, then the readiness lane's band once the predictions are drawn."""
    pause_at(page, time)
    lane = page.evaluate("window.podviz.lanes").index("readiness")
    page.wait_for_function(
        "(lane) => (document.getElementById(`lane-chart-${lane}`).layout.shapes || [])"
        ".some(shape => (shape.name || '').startsWith('prediction'))",
        arg=lane,
        timeout=WAIT_MS,
    )
    return drawn_band(page, lane)


def test_after_the_node_failure_the_readiness_lane_shows_the_predicted_band(page, live_server_url):
    start_run(page, live_server_url)
    predicted = node_down_prediction("readiness")
    window_start = predicted["at"] + predicted["detectionWindow"][0]
    window_end = predicted["at"] + predicted["detectionWindow"][1]
    assert (window_start, window_end) == (100, 120)
    band = band_at(page, 150)
    assert band["shapes"] == [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": window_start,
            "x1": window_end,
            "y0": band["errorsDomain"][0],
            "y1": band["errorsDomain"][1],
        }
    ]
    low, high = predicted["expectedErrors"]
    label = f"predicted errors<br>{low:,}–{high:,}"
    assert band["labels"] == [label]
    assert label.replace("<br>", "") in band["texts"]
    assert band["hovers"][0].endswith("Faults injected by hand are not predicted.")
    # The SVG has the band drawn where the x axis puts the window.
    assert len(band["paths"]) == 1
    path = band["paths"][0]
    left, right = band["pixelOf"]
    assert abs(path["left"] - left) <= 1 and abs(path["right"] - right) <= 1
    assert path["bottom"] - path["top"] > 20


def test_the_band_s_label_speaks_korean(page, live_server_url):
    switch_language(page, live_server_url, "ko")
    start_run(page, live_server_url)
    low, high = node_down_prediction("readiness")["expectedErrors"]
    band = band_at(page, 150)
    assert band["labels"] == [f"예상 오류<br>{low:,}–{high:,}"]
    assert band["hovers"][0].endswith("직접 주입한 장애는 예측하지 않습니다.")
