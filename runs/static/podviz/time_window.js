// The one time axis every lane shares: the whole lesson when it lasts up to 20 simulated minutes
// (so that what it is about, like the first restarts of a crash loop, stays in view at its end),
// else the last 15 minutes; the whole run on request, or the range the user zoomed to in any lane.
// Early in a run the axis is shorter and grows in a few steps with the clock, so that the first
// minutes of a lesson fill the chart instead of a sliver at its left (and each step is one
// relayout, not one per frame).
const DEFAULT_SPAN_SECONDS = 900;
const WHOLE_LESSON_SECONDS = 1200;
const GROWING_SPANS = [120, 300, 600]; // each used while at most half the axis it grows to
const HEADROOM = 0.85; // the clock stays left of this share of a growing axis

export class TimeWindow {
  constructor() {
    this.showAll = false;
    this.zoomed = null; // [start, end] chosen by the user, or null to follow the clock
    this.revision = 0; // changes whenever every chart must take the range given (xaxis.uirevision)
  }

  // A short scenario keeps a still axis over its whole duration; a long one scrolls.
  range(now, duration, earliest = 0) {
    if (this.zoomed) return this.zoomed;
    const span = this.showAll ? Infinity : DEFAULT_SPAN_SECONDS;
    const growing = this.showAll ? undefined : GROWING_SPANS.find((length) => length <= Math.min(duration, span) / 2 && now - earliest <= length * HEADROOM);
    if (growing !== undefined) return [earliest, earliest + growing];
    if (duration <= (this.showAll ? Infinity : WHOLE_LESSON_SECONDS)) return [0, Math.max(duration, 1)];
    const end = Math.max(now, Math.min(duration, earliest + DEFAULT_SPAN_SECONDS));
    return [this.showAll ? earliest : Math.max(earliest, end - span), end];
  }

  zoom(start, end) {
    this.zoomed = [Math.min(start, end), Math.max(start, end)];
    this.revision += 1;
  }

  follow() {
    this.zoomed = null;
    this.revision += 1;
  }

  setShowAll(showAll) {
    this.showAll = showAll;
    this.follow();
  }
}
