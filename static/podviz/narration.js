// The story told beside the charts: the scenario's narration, step by step, in the page's
// language. A step starts at its time, or at the first event of its reason in any lane; each
// step is also a button that seeks there.
import { clock } from "./format.js";
import { localized } from "./i18n.js";

export class Narration {
  constructor(root, { seek }) {
    this.root = root;
    this.text = root.querySelector(".story-text");
    this.steps = root.querySelector(".story-steps");
    this.seek = seek;
    this.narration = [];
    this.signature = "";
  }

  setScenario(scenario) {
    this.narration = scenario?.narration ?? [];
    this.root.hidden = this.narration.length === 0;
    this.signature = "";
  }

  startOf(step, buffers) {
    if (typeof step.at === "number") return step.at;
    const times = buffers.flatMap((buffer) =>
      [...buffer.events.values(), ...buffer.keyEvents]
        .filter((event) => event.reason === step.event)
        .map((event) => event.firstTime ?? event.time),
    );
    return times.length ? Math.min(...times) : null;
  }

  update(now, buffers) {
    const starts = this.narration.map((step) => this.startOf(step, buffers));
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
      button.disabled = start === null;
      if (index === current) button.setAttribute("aria-current", "step");
      button.addEventListener("click", () => this.seek(start));
      return button;
    });
    this.steps.replaceChildren(...buttons);
  }
}
