// The source of a published lesson: the run recorded at publishing time (recording.js sets
// globalThis.podvizRecording: a run.state at 0 s, then one run.frame per simulated second), played
// back in the browser. It answers the run page's commands as the server would: play, pause, speed,
// step, seek, to the end, restart; a seek replays the frames up to that second.
import { Status } from "./connection.js";
import { gettext } from "./i18n.js";

const TICK_MS = 100;

export class RecordedRun {
  constructor(recording, { onMessage, onStatus }) {
    this.frames = recording.frames;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.status = Status.CONNECTING;
    this.position = 0; // index of the last frame given to the page
    this.clock = 0; // simulated seconds, between frames while playing
    this.playing = false;
    this.speed = 1;
    this.timer = null;
    this.lastSeq = null;
  }

  get connected() {
    return true;
  }

  get duration() {
    return this.frames[this.frames.length - 1].time;
  }

  start() {
    this.seek(0);
  }

  send(command) {
    if (command.type === "play") this.setPlaying(this.position < this.frames.length - 1);
    else if (command.type === "pause") this.setPlaying(false);
    else if (command.type === "speed") this.speed = Number(command.speed) || this.speed;
    else if (command.type === "step") this.seek(this.frames[this.position].time + (command.seconds ?? 1), false);
    else if (command.type === "seek") this.seek(Number(command.time), this.playing);
    else if (command.type === "end") this.seek(this.duration, false);
    else if (command.type === "restart") this.seek(0, this.playing);
    else {
      const detail = gettext("A published lesson replays a recorded run: this needs the podviz server.");
      this.onMessage({ type: "error", code: "recorded", detail });
      return true;
    }
    this.emitHeartbeat();
    return true;
  }

  resync() {
    this.seek(this.frames[this.position].time, this.playing);
  }

  // The state at 0 s and every frame up to `time`: what the live page holds after a seek.
  seek(time, playing = false) {
    const wanted = Math.max(0, Math.min(this.duration, time));
    this.position = 0;
    this.clock = wanted;
    this.playing = playing;
    this.give(this.frames[0]);
    while (this.position + 1 < this.frames.length && this.frames[this.position + 1].time <= wanted) {
      this.position += 1;
      this.give(this.frames[this.position]);
    }
    this.setPlaying(playing && this.position < this.frames.length - 1);
  }

  setPlaying(playing) {
    this.playing = playing;
    clearInterval(this.timer);
    this.timer = playing ? setInterval(() => this.tick(), TICK_MS) : null;
    this.setStatus(playing ? Status.LIVE : Status.PAUSED);
  }

  tick() {
    this.clock += (this.speed * TICK_MS) / 1000;
    while (this.position + 1 < this.frames.length && this.frames[this.position + 1].time <= this.clock) {
      this.position += 1;
      this.give(this.frames[this.position]);
    }
    if (this.position === this.frames.length - 1) {
      this.setPlaying(false);
      this.emitHeartbeat();
    }
  }

  give(frame) {
    this.lastSeq = frame.seq;
    this.onMessage({ ...this.rebuilt(frame), playing: this.playing, speed: this.speed });
  }

  // The recording leaves out what repeats (simulator/reports/published_lesson.py): each lane's
  // pods come as changes to the same pods' previous fields, its title only in the state.
  rebuilt(frame) {
    if (frame.type === "run.state") this.knownPods = frame.lanes.map(() => new Map());
    const lanes = frame.lanes.map((lane, index) => {
      if (!lane.podChanges) return lane;
      const { podChanges, ...rest } = lane;
      const known = this.knownPods[index];
      const pods = podChanges.map(({ replaces, ...change }) => {
        const pod = replaces ? change : { ...known.get(change.name), ...change };
        known.set(pod.name, pod);
        return pod;
      });
      return { ...rest, pods };
    });
    return { ...frame, lanes };
  }

  // The page reads play state and speed from message headers: a heartbeat tells them at once.
  emitHeartbeat() {
    const frame = this.frames[this.position];
    this.onMessage({ type: "run.heartbeat", seq: frame.seq, time: frame.time, playing: this.playing, speed: this.speed });
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }
}

// The run page asks globalThis.podvizSource for its source when there is one (run.js).
if (globalThis.podvizRecording) {
  globalThis.podvizSource = (handlers) => new RecordedRun(globalThis.podvizRecording, handlers);
}
