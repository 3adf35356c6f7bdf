// The run's WebSocket: reconnects with backoff, and tells honestly how fresh the page is.
//
//   LIVE          frames arrive and the server says the clock runs
//   PAUSED        the server says the clock stands still; its heartbeats arrive
//   RECONNECTING  the socket closed; a new one is on its way (its run.state redraws everything)
//   CLASS_SERVER  connected, but the server lost the class server (Redis) that carries the
//                 run's frames between processes; its next run.state redraws everything
//   STALE         connected, but nothing for STALE_AFTER_MS, or frames were missed
//   GONE          the server no longer knows this run
export const Status = Object.freeze({
  CONNECTING: "connecting",
  LIVE: "live",
  PAUSED: "paused",
  RECONNECTING: "reconnecting",
  CLASS_SERVER: "class-server",
  STALE: "stale",
  GONE: "gone",
});

const STALE_AFTER_MS = 3000;
const RESYNC_AFTER_MS = 2000; // after a gap, wait this long for the server's own run.state
const BACKOFF_MS = { first: 500, max: 10000 };
const CLOSE_RUN_NOT_FOUND = 4404;
const MAX_PENDING_PARTS = 2; // messages being reassembled at once; older ones are dropped

export class RunConnection {
  constructor(url, { onMessage, onStatus }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.socket = null;
    this.status = Status.CONNECTING;
    this.attempts = 0;
    this.lastSeq = null;
    this.lastMessageAt = 0;
    this.playing = false;
    this.gapSince = null;
    this.classServerLost = false;
    this.parts = new Map(); // message id -> {count, data: []}
    this.watchdog = setInterval(() => this.checkFreshness(), 500);
  }

  start() {
    this.parts.clear();
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.closed(event));
  }

  get connected() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(command) {
    if (!this.connected) return false;
    this.socket.send(JSON.stringify(command));
    return true;
  }

  // Start again from a fresh run.state: the new socket's first message.
  resync() {
    this.socket?.close();
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
      if (message?.type === "run.part") message = this.reassemble(message);
    } catch {
      return;
    }
    this.lastMessageAt = performance.now();
    if (message === null) return;
    if (message.type === "class.reconnecting") {
      this.classServerLost = true;
      this.setStatus(Status.CLASS_SERVER);
      return;
    }
    if (!this.inSequence(message)) return;
    if (this.classServerLost && message.type !== "run.state") return;
    if ("playing" in message) this.playing = Boolean(message.playing);
    this.onMessage(message);
    this.setStatus(this.gapSince !== null ? Status.STALE : this.playing ? Status.LIVE : Status.PAUSED);
  }

  // A message too large for one WebSocket message comes as run.part messages (docs/protocol.md):
  // the whole message once its last part is in, null until then.
  reassemble(part) {
    const { id, index, count, data } = part;
    if (!Number.isInteger(count) || count < 1 || !(index >= 0 && index < count) || typeof data !== "string") return null;
    let pending = this.parts.get(id);
    if (!pending) {
      pending = { count, received: 0, data: new Array(count) };
      this.parts.set(id, pending);
      while (this.parts.size > MAX_PENDING_PARTS) this.parts.delete(this.parts.keys().next().value);
    }
    if (pending.data[index] === undefined) pending.received += 1;
    pending.data[index] = data;
    if (pending.received < pending.count) return null;
    this.parts.delete(id);
    return JSON.parse(pending.data.join(""));
  }

  // Frames carry a sequence number; a run.state sets it. Old frames are dropped, a gap marks STALE.
  inSequence(message) {
    if (message.type === "run.state") {
      this.lastSeq = message.seq;
      this.gapSince = null;
      this.classServerLost = false;
      this.attempts = 0;
      return true;
    }
    if (message.type === "run.frame") {
      if (this.lastSeq === null || message.seq <= this.lastSeq) return false;
      if (message.seq > this.lastSeq + 1) this.gapSince ??= performance.now();
      if (this.gapSince !== null) return false;
      this.lastSeq = message.seq;
      return true;
    }
    if (message.type === "run.heartbeat" && this.lastSeq !== null && message.seq > this.lastSeq) {
      this.gapSince ??= performance.now();
    }
    return true;
  }

  checkFreshness() {
    if (!this.connected || this.lastSeq === null || this.classServerLost) return;
    const now = performance.now();
    if (this.gapSince !== null && now - this.gapSince > RESYNC_AFTER_MS) {
      // A new connection starts with a run.state, which puts every buffer right again.
      this.gapSince = null;
      this.resync();
      return;
    }
    if (now - this.lastMessageAt > STALE_AFTER_MS) this.setStatus(Status.STALE);
  }

  closed(event) {
    this.socket = null;
    this.classServerLost = false;
    if (event.code === CLOSE_RUN_NOT_FOUND) {
      clearInterval(this.watchdog);
      this.setStatus(Status.GONE);
      return;
    }
    this.setStatus(Status.RECONNECTING);
    const delay = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** this.attempts);
    this.attempts += 1;
    setTimeout(() => this.start(), delay * (0.8 + 0.4 * Math.random()));
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }
}
