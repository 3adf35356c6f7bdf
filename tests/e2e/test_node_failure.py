"""The seed's story played fast: after the node failure is detected its pod gets no traffic."""

import pytest

from .run_page import WAIT_MS, lane_count, share_traces, start_run

pytestmark = pytest.mark.e2e


def test_the_failed_nodes_pod_gets_no_traffic_once_kubernetes_notices(page, live_server_url):
    start_run(page, live_server_url)
    page.select_option("#speed", "100")
    page.wait_for_function("() => window.podviz.drawnTime >= 200", timeout=WAIT_MS)
    page.locator("#play-pause").click()
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)

    node_down = next(
        event
        for event in page.evaluate("window.podviz.scenario.events")
        if event["action"] == "NodeDown"
    )
    for lane in range(lane_count(page)):
        pods = page.evaluate("(lane) => window.podviz.pods(lane)", lane)
        victim = next(pod["name"] for pod in pods if pod["node"] == node_down["node"])
        events = page.evaluate("(lane) => window.podviz.events(lane)", lane)
        detected = next(
            event["time"]
            for event in events
            if event["reason"] == "NodeNotReady" and event["object"] == f"Node/{node_down['node']}"
        )
        assert detected > node_down["at"]  # Kubernetes needs the node-monitor grace period
        share = share_traces(page, lane)[victim]
        by_second = dict(zip(share["x"], share["y"], strict=True))
        # Before detection the Service still sends the dead node's pod its half: those time out.
        unnoticed = [by_second[t] for t in range(int(node_down["at"]) + 5, int(detected) - 2)]
        assert unnoticed and all(25 <= value <= 75 for value in unnoticed)
        # Once the endpoints controller and kube-proxy have caught up: nothing at all.
        noticed = [by_second[t] for t in range(int(detected) + 2, 200)]
        assert noticed and all(value == 0 for value in noticed)
