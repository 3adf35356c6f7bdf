"""Keyboard shortcuts act whatever control has focus; every narration step can be jumped to."""

import pytest

from .run_page import WAIT_MS, headless_results, pause_at, start_run, wait_drawn_at

pytestmark = pytest.mark.e2e


def test_space_after_clicking_inject_pauses_instead_of_injecting_again(page, live_server_url):
    start_run(page, live_server_url)
    page.select_option("#fault-action", "AppHang")
    page.get_by_role("button", name="Inject").click()
    page.wait_for_function("() => window.podviz.injected.length === 1", timeout=WAIT_MS)
    assert page.evaluate("document.activeElement.textContent") == "Inject"
    page.wait_for_function("() => window.podviz.playing", timeout=WAIT_MS)
    page.keyboard.press("Space")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    paused_at = page.evaluate("window.podviz.time")
    # A step goes over the same socket after any injection the Space could have sent.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(t) => window.podviz.time === t + 1", arg=paused_at, timeout=WAIT_MS)
    assert page.evaluate("window.podviz.injected.length") == 1


def test_arrow_right_after_clicking_step_steps_again(page, live_server_url):
    start_run(page, live_server_url)
    page.locator("#step").click()
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    stepped_to = page.evaluate("window.podviz.time")
    assert page.evaluate("document.activeElement.id") == "step"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(t) => window.podviz.time === t + 1", arg=stepped_to, timeout=WAIT_MS)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(t) => window.podviz.time === t + 2", arg=stepped_to, timeout=WAIT_MS)
    page.keyboard.press("Space")
    page.wait_for_function("() => window.podviz.playing", timeout=WAIT_MS)


def test_keys_typed_into_a_field_stay_with_the_field(page, live_server_url):
    start_run(page, live_server_url)
    pause_at(page, 30)
    page.locator("#show-all").focus()
    page.keyboard.press("Space")  # ticks the box, does not play
    page.wait_for_function("() => document.getElementById('show-all').checked")
    page.keyboard.press("ArrowRight")
    # A command sent after them on the same socket: once it is applied, so would theirs be.
    page.evaluate("window.podviz.send({type: 'speed', speed: 2})")
    page.wait_for_function("() => window.podviz.speed === 2", timeout=WAIT_MS)
    assert not page.evaluate("window.podviz.playing")
    assert page.evaluate("window.podviz.time") == 30


def event_step_buttons(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.story-step')]
            .filter(button => /[A-Z][a-z]+[A-Z]/.test(button.textContent))
            .map(button => ({text: button.textContent, disabled: button.disabled,
                             time: button.dataset.time}))"""
    )


def test_every_event_step_can_be_jumped_to_before_and_after_it_happened(page, live_server_url):
    start_run(page, live_server_url)
    pause_at(page, 5)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.story-step')].length > 0
            && [...document.querySelectorAll('.story-step')].every(button => !button.disabled)""",
        timeout=WAIT_MS,
    )
    headless = headless_results("seed-story")
    first = {}
    for variant in headless["variants"]:
        for event in variant["events"]:
            start = event.get("firstTime", event["time"])
            first[event["reason"]] = min(first.get(event["reason"], start), start)
    steps = event_step_buttons(page)
    assert {step["text"].split(" ", 1)[1] for step in steps} == {
        "NodeNotReady",
        "TaintManagerEviction",
    }
    for step in steps:
        reason = step["text"].split(" ", 1)[1]
        assert float(step["time"]) == first[reason], step

    eviction = page.locator(".story-step", has_text="TaintManagerEviction")
    eviction.click()
    wait_drawn_at(page, first["TaintManagerEviction"])
    assert "TaintManagerEviction" in page.locator(".story-step[aria-current='step']").text_content()

    # Back before the events: every step stays a button that jumps.
    pause_at(page, 20)
    assert all(not step["disabled"] for step in event_step_buttons(page))
    page.locator(".story-step", has_text="NodeNotReady").click()
    wait_drawn_at(page, first["NodeNotReady"])
