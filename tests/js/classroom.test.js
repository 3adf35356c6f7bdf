import assert from "node:assert/strict";
import { test } from "node:test";

import { Classroom } from "../../static/podviz/classroom.js";

// Just enough of the class bar's elements for the counts and the reveal's text.
function element() {
  return {
    textContent: "",
    hidden: true,
    attributes: {},
    dataset: {},
    style: {},
    setAttribute(name, value) {
      this.attributes[name] = value;
    },
    replaceChildren() {},
    addEventListener() {},
    querySelector(selector) {
      this.children ??= {};
      this.children[selector] ??= element();
      return this.children[selector];
    },
  };
}

function classBar() {
  const elements = {};
  const root = {
    dataset: { role: "presenter" },
    querySelector(selector) {
      elements[selector] ??= element();
      return elements[selector];
    },
  };
  return { classroom: new Classroom(root, { send: () => true }), elements };
}

test("one answer and one guess are singular, more are plural", () => {
  const { classroom, elements } = classBar();
  classroom.showAnswerCount(1);
  assert.equal(elements["#answer-count"].textContent, "1 answer");
  classroom.showAnswerCount(2);
  assert.equal(elements["#answer-count"].textContent, "2 answers");

  const reveal = { text: "q", unit: "%", answers: 1, measured: null, measuredUntil: 60, end: 60 };
  classroom.showReveal({ ...reveal, histogram: { edges: [0, 100], counts: [] } });
  const result = elements["#reveal-result"];
  assert.equal(result.children[".measured"].textContent, "1 guess. The run measured: —");
  assert.equal(result.children[".histogram"].attributes["aria-label"], "1 guess; the run measured —");
  classroom.showReveal({ ...reveal, answers: 3, histogram: { edges: [0, 100], counts: [] } });
  assert.equal(result.children[".measured"].textContent, "3 guesses. The run measured: —");
});
