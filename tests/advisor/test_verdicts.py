"""The verdict a suggested change carries (docs/advisor.md, "Verdicts"): ``verified`` only on a
clear gain in the figure its rule is about, stated with the figure; a smaller gain is
``marginal``, none is ``no-gain``."""

from __future__ import annotations

from simulator.advisor.examples import EXAMPLES
from simulator.advisor.verdicts import CLEAR_GAIN_FRACTION

from .test_check_command import MANIFESTS, check_json


def _suggestion(document, workload: str, rule: str):
    return next(
        finding["suggestion"]
        for finding in document["findings"]
        if finding["workload"] == workload and finding["rule"] == rule
    )


def test_a_fix_that_saves_less_than_a_second_of_traffic_is_marginal_not_verified():
    _, document = check_json(str(MANIFESTS / "near-enough-readiness.yaml"), "--max-detection", "5")
    suggestion = _suggestion(document, "Deployment/api", "slow-hang-detection")
    before = suggestion["verification"]["before"]["errors"]
    after = suggestion["verification"]["after"]["errors"]
    # Fewer errors, but by less than one second of traffic at --rps 50.
    assert 0 < before - after < 50
    assert suggestion["verdict"] == "marginal" and suggestion["verified"] is False
    assert suggestion["verification"]["measure"] == "errors"
    assert suggestion["verification"]["text"].startswith(
        f"only a marginal gain in the app-hang drill (errors {before} → {after}, a gain of "
        f"{before - after}; verified needs at least 50)"
    )


def test_a_fix_whose_drill_loses_as_many_requests_has_no_measurable_gain():
    """The gateway is one Pod: the suggested readiness probe takes the hung pod out sooner, and
    every request then fails for lack of endpoints instead of with 500."""
    _, document = check_json(str(MANIFESTS / "mixed.yaml"))
    suggestion = _suggestion(document, "Pod/gateway", "slow-hang-detection")
    verification = suggestion["verification"]
    assert verification["after"]["detectionSeconds"] is not None
    assert verification["after"]["errors"] == verification["before"]["errors"]
    assert suggestion["verdict"] == "no-gain" and suggestion["verified"] is False
    assert verification["text"].startswith("no measurable gain in the app-hang drill (errors")


def test_a_verified_fix_states_its_clear_gain():
    _, document = check_json(str(EXAMPLES["storefront"]))
    suggestion = _suggestion(document, "Deployment/storefront", "liveness-checks-dependency")
    verification = suggestion["verification"]
    before, after = verification["before"]["restarts"], verification["after"]["restarts"]
    assert before - after >= max(1, CLEAR_GAIN_FRACTION * before)
    assert suggestion["verdict"] == "verified" and suggestion["verified"] is True
    assert verification["measure"] == "restarts"
    assert verification["text"].startswith(
        f"verified by the dependency-outage drill (restarts {before} → {after}): "
    )
