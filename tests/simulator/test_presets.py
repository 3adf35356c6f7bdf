"""The built-in scenarios: they load, validate, and tell their story in English and Korean."""

from __future__ import annotations

import re

import pytest

from simulator.scenario.presets import SCENARIOS_DIRECTORY, list_presets, load_preset, preset_slugs
from simulator.scenario.types import Scenario

SLUGS = preset_slugs()
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_every_file_is_a_preset_and_the_seed_story_comes_first() -> None:
    files = sorted(path.stem for path in SCENARIOS_DIRECTORY.glob("*.yaml"))
    assert sorted(SLUGS) == files
    assert {"seed-story", "seed-story-textbook", "crashloop-backoff"} <= set(SLUGS)
    assert [info.slug for info in list_presets()][:2] == ["seed-story", "seed-story-textbook"]


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_loads_under_its_own_name(slug: str) -> None:
    assert load_preset(slug).name == slug


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_speaks_english_and_korean(slug: str) -> None:
    scenario = load_preset(slug)
    texts = [scenario.title, scenario.description, *(step.text for step in scenario.narration)]
    texts += [variant.title for variant in scenario.variants if len(scenario.variants) > 1]
    assert scenario.narration, "a preset tells its story step by step"
    for text in texts:
        assert set(text) == {"en", "ko"}
        assert HANGUL.search(text["ko"]), text["ko"]
        assert not HANGUL.search(text["en"]), text["en"]


def test_list_presets_matches_the_files() -> None:
    for info in list_presets():
        scenario = load_preset(info.slug)
        assert (info.title, info.description) == (scenario.title, scenario.description)


def test_an_unknown_slug_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no preset named 'nope'"):
        load_preset("nope")


def lane_names(scenario: Scenario) -> list[str]:
    return [variant.name for variant in scenario.variants]


@pytest.mark.parametrize("slug", ["seed-story", "seed-story-textbook"])
def test_the_seed_story(slug: str) -> None:
    scenario = load_preset(slug)
    assert lane_names(scenario) == ["no-probes", "readiness", "liveness", "readiness-and-liveness"]
    node_down, hang = scenario.events
    assert (node_down.action, node_down.node) == ("NodeDown", "node2")
    assert (hang.action, hang.pod) == ("AppHang", "web-3")
    for variant in scenario.variants:
        workload = variant.workload
        assert (workload.kind, workload.name, workload.replicas) == ("Deployment", "web", 2)
        assert variant.cluster.nodes == ("node1", "node2", "node3")
        assert variant.traffic.requests_per_second == 100
        assert variant.behavior.for_container("app").boot_seconds == 20
        (container,) = workload.template.containers
        has_readiness = "readiness" in variant.name
        has_liveness = "liveness" in variant.name
        assert (container.readiness_probe is not None) == has_readiness
        assert (container.liveness_probe is not None) == has_liveness
        for probe in (container.readiness_probe, container.liveness_probe):
            assert probe is None or probe.handler == "httpGet"


def test_the_seed_story_uses_real_timings_and_time_to_see_the_recovery() -> None:
    scenario = load_preset("seed-story")
    cluster = scenario.variants[0].cluster
    assert (cluster.node_monitor_grace_period, cluster.toleration_seconds) == (50, 300)
    node_down, hang = scenario.events
    # Replacement: death + ~50 s detection + 300 s toleration, then pull and boot (≈ 20 s).
    serving = node_down.at + 50 + 300 + 2 + 20
    assert hang.at > serving + 60
    assert scenario.duration >= hang.at + 200


def test_the_textbook_story_says_plainly_how_long_a_real_cluster_takes() -> None:
    scenario = load_preset("seed-story-textbook")
    cluster = scenario.variants[0].cluster
    assert cluster.node_monitor_grace_period < 50
    assert cluster.toleration_seconds < 300
    first_step = scenario.narration[0]
    assert first_step.at == 0
    for text in (scenario.description, first_step.text):
        assert "six minutes" in text["en"]
        assert "6분" in text["ko"]


def test_the_crashloop_preset_exits_at_once_with_an_error() -> None:
    scenario = load_preset("crashloop-backoff")
    default, capped = scenario.variants
    behavior = default.behavior.for_container("app")
    assert (behavior.exit_after_seconds, behavior.exit_code) == (0, 1)
    assert default.cluster.crash_loop_backoff.max == 300
    assert capped.cluster.crash_loop_backoff.max == 60
    # Starts at 0, 0, 10, 30, 70, 150, 310, 610: the run shows the cap reached twice.
    assert scenario.duration >= 610
