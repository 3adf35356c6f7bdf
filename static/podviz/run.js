// The live run page: one WebSocket, one buffer per lane, at most one redraw per animation frame.
import { createLaneView } from "./lane.js";

const root = document.getElementById("run");
const runId = root.dataset.runId;
const lanesEl = document.getElementById("lanes");
const timeEl = document.getElementById("sim-time");
const connectionEl = document.getElementById("connection");
const playPause = document.getElementById("play-pause");

// Test and debugging hooks: state that a browser test can wait on.
const hooks = { framesReceived: 0, lastSeq: 0, time: 0, playing: false, connected: false, errors: [] };
window.podviz = hooks;

let socket = null;
let views = [];
let dirty = false;

function scheduleRedraw() {
  if (dirty) return;
  dirty = true;
  requestAnimationFrame(() => {
    dirty = false;
    for (const view of views) view.draw();
  });
}

function onState(message) {
  lanesEl.replaceChildren();
  views = message.lanes.map((lane, index) => createLaneView(lanesEl, index, lane.name));
  message.lanes.forEach((lane, index) => views[index].apply(lane));
}

function onFrame(message) {
  if (views.length !== message.lanes.length) return;
  message.lanes.forEach((lane, index) => views[index].apply(lane));
}

function onMessage(event) {
  const message = JSON.parse(event.data);
  if (message.type === "error") {
    hooks.errors.push(message);
    connectionEl.textContent = message.detail;
    return;
  }
  if (message.type === "run.state") onState(message);
  else if (message.type === "run.frame") onFrame(message);
  else return;
  hooks.framesReceived += 1;
  hooks.lastSeq = message.seq;
  hooks.time = message.time;
  hooks.playing = message.playing;
  timeEl.textContent = message.time.toFixed(1);
  playPause.textContent = message.playing ? playPause.dataset.pause : playPause.dataset.play;
  scheduleRedraw();
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws/runs/${runId}/`);
  socket.addEventListener("open", () => {
    hooks.connected = true;
    connectionEl.textContent = connectionEl.dataset.live;
  });
  socket.addEventListener("message", onMessage);
  socket.addEventListener("close", () => {
    hooks.connected = false;
    connectionEl.textContent = connectionEl.dataset.reconnecting;
    setTimeout(connect, 1000);
  });
}

playPause.addEventListener("click", () => {
  if (socket?.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: hooks.playing ? "pause" : "play" }));
});

connect();
