"""The live run's pacing, controls and viewers' mailboxes (no sockets)."""

import asyncio
import json

import pytest

from runs.live_run import MAX_SPEED, MIN_SPEED, CommandError, LiveRun
from runs.viewer import HELD_FRAMES_LIMIT, Viewer
from simulator.advisor.foresight import foresee
from simulator.scenario.presets import load_preset
from simulator.scenario.types import ScenarioEvent


class Collector:
    """Stands in for the relay: keeps what the run publishes, decoded."""

    def __init__(self):
        self.messages = []

    async def __call__(self, text, seq):
        message = json.loads(text)
        assert seq == message.get("seq") or (seq is None and message["type"] == "run.heartbeat")
        self.messages.append(message)


@pytest.fixture
def published():
    return Collector()


@pytest.fixture
def run(two_pod_scenario, published):
    return LiveRun("r1", two_pod_scenario, published)


async def test_a_joining_viewer_gets_the_state_then_only_newer_frames():
    sent = []

    async def send(text):
        sent.append(text)

    viewer = Viewer(send)
    await viewer.deliver("frame 4", 4)  # published while the state was being built
    await viewer.deliver("frame 5", 5)
    await viewer.deliver("heartbeat", None)
    assert sent == [] and not viewer.started
    await viewer.start("state at 4", 4)
    assert sent == ["state at 4", "frame 5", "heartbeat"]
    await viewer.deliver("frame 6", 6)
    assert sent[-1] == "frame 6" and viewer.started


async def test_a_viewer_holds_a_bounded_number_of_frames_before_its_state():
    viewer = Viewer(send=None)
    for seq in range(HELD_FRAMES_LIMIT + 50):
        await viewer.deliver(f"frame {seq}", seq)
    assert len(viewer._held) == HELD_FRAMES_LIMIT


async def test_speed_is_clamped_to_the_supported_range(run):
    assert run.set_speed(1000) == MAX_SPEED
    assert run.set_speed(0) == MIN_SPEED
    assert run.set_speed(4) == 4


async def test_step_pauses_and_moves_the_clock_by_one_second(run, published):
    await run.step(1)
    await run.step(1)
    frames = published.messages
    assert [frame["time"] for frame in frames] == [1.0, 2.0]
    assert all(frame["type"] == "run.frame" and not frame["playing"] for frame in frames)
    assert frames[1]["seq"] == frames[0]["seq"] + 1
    state = json.loads((await run.full_state())[1])
    assert state["seq"] == frames[1]["seq"] and state["time"] == 2.0


async def test_seek_back_reruns_from_the_seed_and_matches_the_first_pass(run, published):
    await run.step(40)
    first_pass = json.loads((await run.full_state())[1])["lanes"][0]
    await run.step(20)
    await run.seek(40)
    replayed = published.messages[-1]
    assert replayed["type"] == "run.state" and replayed["time"] == 40
    assert replayed["lanes"][0]["series"] == first_pass["series"]
    assert replayed["lanes"][0]["pods"] == first_pass["pods"]
    # Frames after the seek continue where the new state ended.
    await run.step(1)
    after = published.messages[-1]["lanes"][0]
    assert after["seriesStart"] == len(replayed["lanes"][0]["series"]["time"])


async def test_seek_outside_the_run_is_refused(run):
    with pytest.raises(CommandError, match="time: must be between 0 and 600 s"):
        await run.seek(601)


async def test_injected_fault_is_kept_and_replayed_after_a_seek(run, published):
    await run.step(30)
    applied = await run.inject(ScenarioEvent(at=0, action="NodeDown", node="node1"))
    assert applied.at == 30
    await run.step(10)
    after_fault = published.messages[-1]
    assert after_fault["injected"] == [{"at": 30.0, "action": "NodeDown", "node": "node1"}]
    await run.seek(10)
    await run.seek(40)
    replayed = published.messages[-1]
    assert replayed["injected"] == after_fault["injected"]
    assert (
        replayed["lanes"][0]["series"]["requests"]
        == json.loads((await run.full_state())[1])["lanes"][0]["series"]["requests"]
    )


async def test_unknown_fault_target_is_refused_with_the_choices(run):
    await run.step(5)
    with pytest.raises(CommandError, match=r"node: no node 'node9'.*node1, node2"):
        await run.inject(ScenarioEvent(at=0, action="NodeDown", node="node9"))
    with pytest.raises(CommandError, match=r"pod: no pod 'web-9'.*web-1, web-2"):
        await run.inject(ScenarioEvent(at=0, action="AppHang", pod="web-9"))


async def test_to_end_and_restart(run, published):
    await run.to_end()
    assert published.messages[-1]["finished"] and published.messages[-1]["time"] == 600
    await run.inject(ScenarioEvent(at=0, action="AppCrash", pod="web-1"))
    await run.restart()
    state = published.messages[-1]
    assert state["type"] == "run.state" and state["time"] == 0 and state["injected"] == []
    assert state["playing"]


async def test_idle_time_counts_from_the_last_viewer_leaving(two_pod_scenario, published):
    wall = [0.0]
    run = LiveRun("r1", two_pod_scenario, published, clock=lambda: wall[0])
    run.viewer_joined()
    wall[0] = 50.0
    assert run.idle_for() == 0
    run.viewer_left()
    wall[0] = 80.0
    assert run.idle_for() == 30


async def test_the_manager_reaps_runs_nobody_watches(run_manager, two_pod_scenario):
    watched = run_manager.start(two_pod_scenario)
    forgotten = run_manager.start(two_pod_scenario)
    watched.viewer_joined()
    forgotten.last_viewer_left -= run_manager.idle_seconds + 1
    assert run_manager.reap_idle() == [forgotten.run_id]
    assert run_manager.get(forgotten.run_id) is None
    assert run_manager.get(watched.run_id) is watched


async def test_the_run_tells_its_viewers_when_each_narration_step_starts(published):
    scenario = load_preset("seed-story")
    run = LiveRun("r2", scenario, published)
    task = asyncio.create_task(run.run_forever())
    await run.full_state()  # a first viewer
    try:
        async with asyncio.timeout(60):
            while not any(m["type"] == "run.narration" for m in published.messages):
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
    told = next(m for m in published.messages if m["type"] == "run.narration")
    assert told["times"] == list(foresee(scenario).narration_times)
    assert any(time is not None and time > run.now for time in told["times"])
    _, text = await run.full_state()
    steps = json.loads(text)["scenario"]["narration"]
    assert [step["time"] for step in steps] == told["times"]


async def test_a_heartbeat_during_a_seek_tells_the_last_message_sent_not_the_clock_mid_advance(
    run, published
):
    # While the engine's thread advances a seek, a heartbeat built meanwhile must carry the
    # time and number of the last message the viewers have, taken together (docs/protocol.md):
    # a page that applied "time 30" before the state at 30 arrived drew a clock past its data.
    await run.step(5)
    before = published.messages[-1]
    during = []
    advance = run._simulation.advance_to

    def advance_and_beat(time_):
        advance(time_ / 2)
        during.append(json.loads(run._heartbeat()))
        advance(time_)

    run._simulation.advance_to = advance_and_beat
    await run.seek(30)
    (heartbeat,) = during
    assert run._simulation.now == 30 and heartbeat["type"] == "run.heartbeat"
    assert (heartbeat["seq"], heartbeat["time"]) == (before["seq"], before["time"]) == (1, 5.0)
    state = published.messages[-1]
    after = json.loads(run._heartbeat())
    assert (after["seq"], after["time"]) == (state["seq"], state["time"]) == (2, 30.0)
