// The class bar: how many follow, and predict-then-reveal (class.* messages, docs/protocol.md).
import { format, gettext, localized, ngettext } from "./i18n.js";

// The class's results as CSV, one row per histogram bin of each revealed question:
// question id, question (the page's language), guesses, measured value, unit, bin from, bin to,
// count. Anonymous: counts only, never who answered what.
export function classResultsCsv(reveals) {
  const cell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = [["question", "text", "guesses", "measured", "unit", "from", "to", "count"]];
  for (const reveal of reveals) {
    const { edges, counts } = reveal.histogram;
    counts.forEach((count, index) => {
      rows.push([reveal.id, localized(reveal.text), reveal.answers, reveal.measured, reveal.unit, edges[index], edges[index + 1], count]);
    });
  }
  return rows.map((row) => row.map(cell).join(",")).join("\n") + "\n";
}

export class Classroom {
  constructor(root, { send, onChange = () => {} }) {
    this.send = send;
    this.onChange = onChange;
    this.role = root?.dataset.role ?? "presenter";
    this.followers = null;
    this.question = null;
    this.openQuestion = null; // the id of the question open now (asked, not yet revealed)
    this.reveals = []; // every reveal this page saw, for the results download
    // Who sees each fault's predicted damage (class.predictions): "off", "afterReveal", "always".
    this.predictionsShow = "afterReveal";
    this.reveal = null;
    this.answerCount = 0;
    if (!root) return;
    const find = (selector) => root.querySelector(selector);
    this.followersElement = find("#followers");
    this.askForm = find("#ask-form");
    this.revealButton = find("#reveal");
    this.answerCountElement = find("#answer-count");
    this.poll = find("#poll");
    this.answerForm = find("#answer-form");
    this.answerValue = find("#answer-value");
    this.answerSent = find("#answer-sent");
    this.result = find("#reveal-result");
    this.resultsButton = find("#class-results");
    this.resultsButton?.addEventListener("click", () => this.downloadResults());
    find("#poll-close")?.addEventListener("click", () => {
      this.poll.hidden = true;
    });
    this.askForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send({ type: "ask", question: find("#ask-question").value });
    });
    this.revealButton?.addEventListener("click", () => this.send({ type: "reveal" }));
    this.predictionsSwitch = find("#predictions-show");
    this.predictionsSwitch?.addEventListener("change", () =>
      this.send({ type: "predictions", show: this.predictionsSwitch.value }),
    );
    this.answerForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = Number(this.answerValue.value);
      if (this.send({ type: "answer", value })) {
        this.answerSent.hidden = false;
        this.ownAnswer = value; // marked on the reveal's histogram, on this screen only
      }
    });
  }

  onMessage(message) {
    if (message.type === "class.followers") this.showFollowers(message.followers);
    else if (message.type === "class.question") this.showQuestion(message);
    else if (message.type === "class.answers") this.showAnswerCount(message.answers);
    else if (message.type === "class.reveal") this.showReveal(message);
    else if (message.type === "class.predictions") this.showPredictionsSwitch(message.show);
    else if (message.type === "class.own_answer") this.showOwnAnswer(message);
  }

  // After a reload: this browser's answer to the open question, as the server counted it.
  showOwnAnswer({ id, value }) {
    if (this.openQuestion !== id || !this.answerValue) return;
    this.ownAnswer = value;
    this.answerValue.value = String(value);
    this.answerSent.hidden = false;
  }

  showPredictionsSwitch(show) {
    this.predictionsShow = show;
    if (this.predictionsSwitch) this.predictionsSwitch.value = show;
    this.onChange();
  }

  showFollowers(count) {
    this.followers = count;
    if (!this.followersElement) return;
    this.followersElement.dataset.count = String(count);
    this.followersElement.textContent = format(gettext("%(count)s following"), { count });
  }

  showQuestion(question) {
    this.question = question;
    this.openQuestion = question.id;
    this.ownAnswer = null;
    this.reveal = null;
    this.onChange();
    if (!this.poll) return;
    this.poll.hidden = false;
    this.poll.querySelector(".poll-question").textContent = localized(question.text);
    this.poll.querySelector(".poll-unit").textContent = question.unit;
    this.result.hidden = true;
    this.answerSent.hidden = true;
    this.answerForm.hidden = this.role === "presenter";
    this.answerValue.min = question.low;
    this.answerValue.max = question.high;
    this.answerValue.value = "";
    if (this.revealButton) this.revealButton.hidden = false;
    this.showAnswerCount(0);
  }

  showAnswerCount(count) {
    this.answerCount = count;
    if (this.answerCountElement) {
      this.answerCountElement.textContent = format(ngettext("%(count)s answer", "%(count)s answers", count), { count });
    }
  }

  downloadResults() {
    const blob = new Blob([classResultsCsv(this.reveals)], { type: "text/csv" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "class-results.csv";
    link.click();
    URL.revokeObjectURL(link.href);
  }

  showReveal(reveal) {
    this.reveal = reveal;
    this.reveals = [...this.reveals.filter((shown) => shown.id !== reveal.id), reveal];
    if (this.resultsButton) this.resultsButton.hidden = false;
    this.openQuestion = null;
    this.onChange();
    if (!this.poll) return;
    this.poll.hidden = false;
    this.poll.querySelector(".poll-question").textContent = localized(reveal.text);
    this.answerForm.hidden = true;
    if (this.revealButton) this.revealButton.hidden = true;
    const { edges, counts } = reveal.histogram;
    const most = Math.max(1, ...counts);
    const histogram = this.result.querySelector(".histogram");
    histogram.replaceChildren(
      ...counts.map((count, index) => {
        const bar = document.createElement("div");
        bar.className = "bar";
        bar.dataset.count = String(count);
        bar.style.height = `${(100 * count) / most}%`;
        bar.title = `${edges[index]}–${edges[index + 1]} ${reveal.unit}: ${count}`;
        return bar;
      }),
    );
    const low = edges[0];
    const high = edges[edges.length - 1];
    // The answers' scale under the bars: every other bin edge, each centred on its edge.
    const labels = this.result.querySelector(".histogram-labels");
    if (labels) {
      const shown = edges.filter((_, index) => index % 2 === 0);
      labels.replaceChildren(
        ...shown.map((edge, index) => {
          const span = document.createElement("span");
          span.textContent = `${Number(edge.toFixed(1))}${index === shown.length - 1 ? ` ${reveal.unit}` : ""}`;
          span.style.left = `${(100 * (edge - low)) / (high - low)}%`;
          return span;
        }),
      );
    }
    // A count (restarts) reads as a whole number, a share with one decimal.
    const decimals = this.question?.metric === "restarts" ? 0 : 1;
    const measuredText = reveal.measured === null ? "—" : `${reveal.measured.toFixed(decimals)} ${reveal.unit}`;
    if (reveal.measured !== null) {
      const line = document.createElement("div");
      line.className = "measured-line";
      line.style.left = `${(100 * (reveal.measured - low)) / (high - low)}%`;
      histogram.append(line);
    }
    if (this.ownAnswer !== null && this.ownAnswer !== undefined) {
      const own = Math.min(high, Math.max(low, this.ownAnswer));
      const mark = document.createElement("div");
      mark.className = "own-guess";
      mark.style.left = `${(100 * (own - low)) / (high - low)}%`;
      mark.title = format(gettext("Your guess: %(value)s"), { value: `${own} ${reveal.unit}` });
      mark.textContent = gettext("you");
      histogram.append(mark);
    }
    const values = { answers: reveal.answers, measured: measuredText };
    histogram.setAttribute(
      "aria-label",
      format(
        ngettext(
          "%(answers)s guess; the run measured %(measured)s",
          "%(answers)s guesses; the run measured %(measured)s",
          reveal.answers,
        ),
        values,
      ),
    );
    const note =
      reveal.measuredUntil < reveal.end
        ? format(gettext(" (so far: up to %(time)s s)"), { time: Math.round(reveal.measuredUntil) })
        : "";
    const measured = ngettext(
      "%(answers)s guess. The run measured: %(measured)s",
      "%(answers)s guesses. The run measured: %(measured)s",
      reveal.answers,
    );
    this.result.querySelector(".measured").textContent = format(measured, values) + note;
    this.result.hidden = false;
  }
}
