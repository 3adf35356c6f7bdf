// The control bar: play/pause, step, speed, to the end, restart, the scrubber, the time window,
// and the form that injects a fault. Each control sends one small command (docs/protocol.md).
import { clock } from "./format.js";
import { explainAction } from "./explanations.js";
import { gettext } from "./i18n.js";

const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100];
const NODE_ACTIONS = new Set(["NodeDown", "NodeUp"]);

export class Controls {
  constructor(root, { send, onShowAll, onFollow }) {
    const find = (id) => root.querySelector(`#${id}`);
    this.send = send;
    this.playPause = find("play-pause");
    this.stepButton = find("step");
    this.speed = find("speed");
    this.toEnd = find("to-end");
    this.restartButton = find("restart");
    this.seek = find("seek");
    this.clock = find("clock");
    this.showAll = find("show-all");
    this.follow = find("follow-live");
    this.faultForm = find("fault-form");
    this.faultAction = find("fault-action");
    this.faultTarget = find("fault-target");
    this.faultHint = find("fault-hint");
    this.state = { time: 0, duration: 0, playing: false, speed: 1, finished: false };
    this.gone = false;
    this.seeking = false;
    this.requestedSpeed = null;
    this.targets = { nodes: [], pods: [] };

    this.speed.replaceChildren(
      ...SPEEDS.map((speed) => new Option(`${speed}×`, String(speed), speed === 1, speed === 1)),
    );
    this.playPause.addEventListener("click", () => this.togglePlay());
    this.stepButton.addEventListener("click", () => this.step());
    this.toEnd.addEventListener("click", () => send({ type: "end" }));
    this.restartButton.addEventListener("click", () => send({ type: "restart" }));
    this.speed.addEventListener("change", () => send({ type: "speed", speed: Number(this.speed.value) }));
    this.seek.addEventListener("input", () => {
      this.seeking = true;
      this.showClock(Number(this.seek.value));
    });
    this.seek.addEventListener("change", () => {
      send({ type: "seek", time: Number(this.seek.value) });
      this.seeking = false;
    });
    this.showAll.addEventListener("change", () => onShowAll(this.showAll.checked));
    this.follow.addEventListener("click", onFollow);
    this.faultAction.addEventListener("change", () => this.fillTargets());
    this.faultTarget.addEventListener("change", () => this.showHint());
    this.faultForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.inject();
    });
  }

  togglePlay() {
    if (this.state.finished || this.gone) return;
    this.send({ type: this.state.playing ? "pause" : "play" });
  }

  step() {
    if (!this.state.finished && !this.gone) this.send({ type: "step", seconds: 1 });
  }

  // Quick presses add up: each starts from the speed last asked for, not yet confirmed.
  changeSpeed(direction) {
    if (this.gone) return;
    const current = this.requestedSpeed ?? this.state.speed;
    const index = SPEEDS.findIndex((speed) => speed >= current);
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (index < 0 ? SPEEDS.length - 1 : index) + direction))];
    this.requestedSpeed = next;
    this.send({ type: "speed", speed: next });
  }

  update(state) {
    this.state = { ...this.state, ...state };
    const { time, duration, playing, speed, finished } = this.state;
    if (speed === this.requestedSpeed) this.requestedSpeed = null;
    this.playPause.textContent = playing ? this.playPause.dataset.pause : this.playPause.dataset.play;
    this.playPause.setAttribute("aria-pressed", String(playing));
    for (const button of [this.playPause, this.stepButton, this.toEnd]) button.disabled = finished || this.gone;
    if (document.activeElement !== this.speed) {
      this.speed.value = String(SPEEDS.find((choice) => choice >= speed) ?? SPEEDS[SPEEDS.length - 1]);
    }
    this.seek.max = String(duration);
    if (!this.seeking) {
      this.seek.value = String(time);
      this.showClock(time);
    }
  }

  // The server no longer has this run: every control that would send it a command stops.
  setGone() {
    this.gone = true;
    for (const control of [
      this.playPause,
      this.stepButton,
      this.speed,
      this.toEnd,
      this.restartButton,
      this.seek,
      ...this.faultForm.elements,
    ]) {
      control.disabled = true;
    }
  }

  showClock(time) {
    const { duration } = this.state;
    this.clock.textContent = `${clock(time)} / ${clock(duration)}`;
    this.clock.title = `${Math.round(time)} s / ${Math.round(duration)} s`;
    this.seek.setAttribute("aria-valuetext", `${Math.round(time)} s`);
  }

  setZoomed(zoomed) {
    this.follow.hidden = !zoomed;
  }

  // The nodes and pods a fault can target: those of every lane, as they are now.
  setTargets(nodes, pods) {
    const same = (a, b) => a.length === b.length && a.every((item, i) => item === b[i]);
    if (same(nodes, this.targets.nodes) && same(pods, this.targets.pods)) return;
    this.targets = { nodes, pods };
    this.fillTargets();
  }

  fillTargets() {
    const names = NODE_ACTIONS.has(this.faultAction.value) ? this.targets.nodes : this.targets.pods;
    const chosen = this.faultTarget.value;
    this.faultTarget.replaceChildren(...names.map((name) => new Option(name, name)));
    if (names.includes(chosen)) this.faultTarget.value = chosen;
    this.showHint();
  }

  showHint() {
    const action = this.faultAction.value;
    const target = this.faultTarget.value;
    if (!target) {
      this.faultHint.textContent = gettext("Nothing to target right now.");
      return;
    }
    const key = NODE_ACTIONS.has(action) ? "node" : "pod";
    this.faultHint.textContent = explainAction({ action, [key]: target });
  }

  inject() {
    const action = this.faultAction.value;
    const target = this.faultTarget.value;
    if (!target) return;
    const key = NODE_ACTIONS.has(action) ? "node" : "pod";
    this.send({ type: "inject", action, [key]: target });
  }
}
