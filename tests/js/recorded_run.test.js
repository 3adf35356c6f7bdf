import assert from "node:assert/strict";
import { test } from "node:test";

import { Status } from "../../runs/static/podviz/connection.js";
import { RecordedRun } from "../../runs/static/podviz/recorded_run.js";

// A recording as simulator/reports/published_lesson.py writes it: one lane, a state at 0 s, then
// a frame per second whose pods come as changes.
function recording() {
  const pod = { name: "web-1", age: "0s", ready: "0/1", replaces: true };
  const frames = [{ type: "run.state", seq: 1, time: 0, lanes: [{ name: "a", title: { en: "A" }, podChanges: [pod] }] }];
  for (let second = 1; second <= 5; second += 1) {
    const change = { name: "web-1", age: `${second}s`, ...(second === 3 ? { ready: "1/1" } : {}) };
    frames.push({ type: "run.frame", seq: second + 1, time: second, lanes: [{ name: "a", podChanges: [change] }] });
  }
  return { frames };
}

function played() {
  const messages = [];
  const statuses = [];
  const run = new RecordedRun(recording(), {
    onMessage: (message) => messages.push(message),
    onStatus: (status) => statuses.push(status),
  });
  return { run, messages, statuses };
}

test("a seek gives the state at 0 s and every frame up to that second, pods rebuilt", () => {
  const { run, messages, statuses } = played();
  run.start();
  assert.deepEqual(messages.map((message) => message.type), ["run.state"]);
  assert.equal(statuses.at(-1), Status.PAUSED);
  messages.length = 0;
  run.send({ type: "seek", time: 4 });
  const given = messages.filter((message) => message.type !== "run.heartbeat");
  assert.deepEqual(given.map((message) => message.time), [0, 1, 2, 3, 4]);
  const pods = given.map((message) => message.lanes[0].pods[0]);
  assert.deepEqual(pods.at(-1), { name: "web-1", age: "4s", ready: "1/1" });
  assert.equal(pods[2].ready, "0/1");
  assert.ok(given.every((message) => !("podChanges" in message.lanes[0])));
});

test("step, to the end and restart move the clock as the server would", () => {
  const { run, messages } = played();
  run.start();
  run.send({ type: "step", seconds: 1 });
  assert.equal(messages.at(-1).time, 1);
  run.send({ type: "end" });
  assert.equal(messages.at(-1).time, 5);
  assert.equal(messages.at(-1).playing, false);
  run.send({ type: "restart" });
  assert.equal(messages.at(-1).time, 0);
});

test("a command the recording cannot answer comes back as an error, not silence", () => {
  const { run, messages } = played();
  run.start();
  assert.equal(run.send({ type: "inject", action: "NodeDown", node: "node1" }), true);
  assert.equal(messages.at(-1).type, "error");
  assert.match(messages.at(-1).detail, /podviz server/);
});
