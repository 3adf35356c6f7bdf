"""A big run: the seed story with 200 replicas on 10 nodes, four lanes (800 pods in all)."""

from pathlib import Path

import yaml

SEED_STORY = (
    Path(__file__).resolve().parents[1] / "simulator" / "scenario" / "scenarios" / "seed-story.yaml"
)
BIG_RUN_SLUG = "big-run"


def big_run_yaml(replicas: int = 200, duration: int = 360, name: str = BIG_RUN_SLUG) -> str:
    """The seed story's YAML named ``name``, with ``replicas`` pods per lane, cut to ``duration``
    seconds (the simulator's pod-seconds limit)."""
    document = yaml.safe_load(SEED_STORY.read_text())
    spec = document["spec"]
    document["metadata"]["name"] = name
    spec["workload"]["spec"]["replicas"] = replicas
    spec["cluster"]["nodes"] = 10
    spec["duration"] = duration
    spec["events"] = [event for event in spec["events"] if event["at"] < duration]
    spec["narration"] = [step for step in spec.get("narration", []) if step.get("at", 0) < duration]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
