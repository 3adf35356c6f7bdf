"""The live run's pacing and its viewers' mailboxes."""

import json

from podviz.live_run import MAX_SPEED, MIN_SPEED, VIEWER_BACKLOG_LIMIT, LiveRun, Viewer


async def test_a_slow_viewer_gets_the_full_state_instead_of_a_backlog():
    viewer = Viewer()
    for seq in range(VIEWER_BACKLOG_LIMIT):
        viewer.offer(f"frame {seq}")
    assert viewer.queue.qsize() == VIEWER_BACKLOG_LIMIT and not viewer.needs_full_state
    viewer.offer("one too many")
    assert viewer.needs_full_state
    assert viewer.queue.qsize() == 1  # only the wake-up is left
    viewer.offer("ignored until resynchronised")
    assert viewer.queue.qsize() == 1


async def test_speed_is_clamped_to_the_supported_range(two_pod_scenario):
    run = LiveRun("r1", two_pod_scenario)
    assert run.set_speed(1000) == MAX_SPEED
    assert run.set_speed(0) == MIN_SPEED
    assert run.set_speed(4) == 4


async def test_a_tick_advances_the_engine_and_the_full_state_matches_it(two_pod_scenario):
    run = LiveRun("r1", two_pod_scenario)
    viewer = run.add_viewer()
    await run._publish_tick(2.5)
    frame = json.loads(viewer.queue.get_nowait())
    assert frame["type"] == "run.frame"
    assert frame["time"] == 2.5 == run.now
    state = json.loads(await run.full_state_text())
    assert state["seq"] == frame["seq"]
    assert state["time"] == 2.5


async def test_idle_time_counts_from_the_last_viewer_leaving(two_pod_scenario):
    wall = [0.0]
    run = LiveRun("r1", two_pod_scenario, clock=lambda: wall[0])
    viewer = run.add_viewer()
    wall[0] = 50.0
    assert run.idle_for() == 0
    run.remove_viewer(viewer)
    wall[0] = 80.0
    assert run.idle_for() == 30


async def test_the_manager_reaps_runs_nobody_watches(run_manager, two_pod_scenario):
    watched = run_manager.start(two_pod_scenario)
    forgotten = run_manager.start(two_pod_scenario)
    watched.add_viewer()
    forgotten.last_viewer_left -= run_manager.idle_seconds + 1
    assert run_manager.reap_idle() == [forgotten.run_id]
    assert run_manager.get(forgotten.run_id) is None
    assert run_manager.get(watched.run_id) is watched
