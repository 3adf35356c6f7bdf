import assert from "node:assert/strict";
import { test } from "node:test";

import { Classroom } from "../../classroom/static/podviz/classroom.js";

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
    replaceChildren(...children) {
      this.childNodes = children;
    },
    append(...children) {
      this.childNodes = [...(this.childNodes ?? []), ...children];
    },
    addEventListener() {},
    querySelector(selector) {
      this.children ??= {};
      this.children[selector] ??= element();
      return this.children[selector];
    },
  };
}

// Elements the class bar creates (the histogram's bars and its scale).
globalThis.document ??= { createElement: () => element() };

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

test("the reveal's scale shows every other bin edge, the unit after the last", () => {
  const { classroom, elements } = classBar();
  const edges = Array.from({ length: 11 }, (_, index) => 10 * index);
  classroom.showReveal({ text: "q", unit: "%", answers: 2, measured: 40, measuredUntil: 60, end: 60, histogram: { edges, counts: Array(10).fill(0) } });
  const labels = elements["#reveal-result"].children[".histogram-labels"].childNodes;
  assert.deepEqual(labels.map((label) => label.textContent), ["0", "20", "40", "60", "80", "100 %"]);
});

test("the class's results download as CSV: one row per bin of each revealed question, no names", async () => {
  const { classResultsCsv } = await import("../../classroom/static/podviz/classroom.js");
  const saved = globalThis.document;
  globalThis.document = { documentElement: { lang: "en" } }; // the page's language
  const reveal = {
    id: "q1",
    text: { en: 'Share "failed", from 60 s?' },
    answers: 3,
    measured: 50.8,
    unit: "%",
    histogram: { edges: [0, 50, 100], counts: [1, 2] },
  };
  assert.equal(
    classResultsCsv([reveal]),
    'question,text,guesses,measured,unit,from,to,count\n' +
      'q1,"Share ""failed"", from 60 s?",3,50.8,%,0,50,1\n' +
      'q1,"Share ""failed"", from 60 s?",3,50.8,%,50,100,2\n',
  );
  globalThis.document = saved;
});
