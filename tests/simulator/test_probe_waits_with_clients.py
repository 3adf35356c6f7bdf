"""Which probes wait in the app's queue with the clients (the run page draws their
timeoutSeconds on the latency panel): http probes of a serving app to a path not served apart."""

from simulator.engine.simulation import Simulation
from simulator.scenario import presets


def probes_by_lane(slug: str, time: float) -> dict[str, set[tuple[str, str, bool]]]:
    simulation = Simulation(presets.load_preset(slug))
    simulation.advance_to(time)
    return {
        lane.name: {
            (probe["type"], probe["handler"], probe["waitsWithClients"])
            for pod in lane.snapshot()["pods"]
            for container in pod["containers"]
            for probe in container["probes"]
        }
        for lane in simulation.lanes
    }


def test_a_liveness_probe_on_the_clients_queue_waits_with_them_unless_served_apart():
    assert probes_by_lane("liveness-death-spiral", 30) == {
        "shared-liveness": {("readiness", "tcpSocket", False), ("liveness", "httpGet", True)},
        "health-served-apart": {("readiness", "tcpSocket", False), ("liveness", "httpGet", False)},
        "long-timeout": {("readiness", "tcpSocket", False), ("liveness", "httpGet", True)},
        "no-liveness": {("readiness", "tcpSocket", False)},
    }


def test_an_app_without_a_serving_model_has_no_probe_waiting_with_clients():
    lanes = probes_by_lane("seed-story", 30)
    assert lanes and all(not waits for probes in lanes.values() for *_, waits in probes)
    assert any(probes for probes in lanes.values())
