"""The per-pod, per-second state lanes: container running, pod Ready, routed by kube-proxy."""

from simulator.engine.simulation import Simulation
from simulator.scenario.presets import load_preset


def first_second(values, flag, start=0):
    return next(i for i in range(start, len(values)) if values[i] == flag)


def test_node_death_shows_running_but_not_ready_and_out_of_the_endpoints():
    """docs/kubernetes-model.md §5.2: only the Ready condition flips; the endpoint goes after p."""
    scenario = load_preset("seed-story")
    simulation = Simulation(scenario)
    simulation.advance_to(scenario.duration)
    lane = simulation.lanes[0]
    series = lane.series
    death = next(e.at for e in scenario.events if e.action == "NodeDown" and e.node == "node2")
    detection = next(
        e["time"]
        for e in lane.events
        if e["reason"] == "NodeNotReady" and e["object"] == "Pod/web-2"
    )
    web2 = series["podStates"]["web-2"]
    not_ready = first_second(web2["ready"], 0, int(death))
    out = first_second(web2["inEndpoints"], 0, int(death))
    assert not_ready == int(detection)
    assert out >= not_ready
    # The stale container status still says running while the node is away.
    assert all(web2["running"][int(death) : not_ready + 60])


def test_a_replacement_pod_is_padded_before_it_existed_and_joins_once_ready():
    scenario = load_preset("seed-story")
    simulation = Simulation(scenario)
    simulation.advance_to(scenario.duration)
    lanes = {lane.name: lane for lane in simulation.lanes}
    for name in ("no-probes", "readiness"):
        series = lanes[name].series
        web3 = series["podStates"]["web-3"]
        assert all(len(states) == len(series["time"]) for states in web3.values())
        created = first_second(web3["running"], 1)
        assert not any(web3["inEndpoints"][:created])
        joined = first_second(web3["inEndpoints"], 1)
        assert series["requests"]["web-3"][joined] > 0
        assert not any(series["requests"]["web-3"][:joined])
    readiness = lanes["readiness"].series["podStates"]["web-3"]
    no_probes = lanes["no-probes"].series["podStates"]["web-3"]
    # With a readiness probe the booting app joins later than without one.
    assert first_second(readiness["inEndpoints"], 1) > first_second(no_probes["inEndpoints"], 1)
