// The story told beside the charts: the scenario's narration, step by step, in the page's
// language. A step starts at its time, or at the first event of its reason in any lane. The
// server works out when every event step starts from a headless run of the scenario (the engine
// is deterministic), so each step is a button that seeks there at any time, even before the run
// got there or after seeking back; an event seen in this run (after a fault injected by hand, it
// may come earlier) takes precedence.
import { clock } from "./format.js";
import { localized } from "./i18n.js";

export class Narration {
  constructor(root, { seek }) {
    this.root = root;
    this.text = root.querySelector(".story-text");
    this.steps = root.querySelector(".story-steps");
    this.seek = seek;
    this.narration = [];
    this.predicted = [];
    this.signature = "";
    this.gone = false;
  }

  // The run is gone: the steps can no longer seek.
  setGone() {
    this.gone = true;
    for (const button of this.steps.querySelectorAll("button")) button.disabled = true;
  }

  setScenario(scenario) {
    this.narration = scenario?.narration ?? [];
    this.root.hidden = this.narration.length === 0;
    if (this.narration.some((step) => "time" in step)) this.predicted = this.narration.map((step) => step.time ?? null);
    this.signature = "";
  }

  // The server's `run.narration` message: the start of each step, null if it never comes.
  setTimes(times) {
    this.predicted = Array.isArray(times) ? times : [];
    this.signature = "";
  }

  startOf(step, index, buffers) {
    if (typeof step.at === "number") return step.at;
    const times = buffers.flatMap((buffer) =>
      [...buffer.events.values(), ...buffer.keyEvents]
        .filter((event) => event.reason === step.event)
        .map((event) => event.firstTime ?? event.time),
    );
    if (times.length) return Math.min(...times);
    return typeof this.predicted[index] === "number" ? this.predicted[index] : null;
  }

  update(now, buffers) {
    const starts = this.narration.map((step, index) => this.startOf(step, index, buffers));
    let current = -1;
    starts.forEach((start, index) => {
      if (start !== null && start <= now && (current < 0 || start >= starts[current])) current = index;
    });
    const signature = `${current}|${starts.join(",")}`;
    if (signature === this.signature) return;
    this.signature = signature;
    this.text.textContent = current >= 0 ? localized(this.narration[current].text) : "";
    const buttons = this.narration.map((step, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "story-step";
      const start = starts[index];
      const when = start === null ? "…" : clock(start);
      button.textContent = step.event ? `${when} ${step.event}` : when;
      button.title = localized(step.text);
      button.disabled = start === null || this.gone;
      button.dataset.time = start === null ? "" : String(start);
      if (index === current) button.setAttribute("aria-current", "step");
      button.addEventListener("click", () => this.seek(start));
      return button;
    });
    this.steps.replaceChildren(...buttons);
  }
}
