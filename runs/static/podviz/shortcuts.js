// Keyboard shortcuts: space plays or pauses, → steps one second, + and − change the speed.
// They act whatever control has focus (after a click on Inject, Space must not inject again);
// keys typed into a form field (text, range, checkbox, select, textarea) stay with that field.
const FIELDS = new Set(["INPUT", "SELECT", "TEXTAREA"]);

function inField(target) {
  return target instanceof HTMLElement && (FIELDS.has(target.tagName) || target.isContentEditable);
}

export function installShortcuts({ togglePlay, step, faster, slower }) {
  const actions = {
    " ": togglePlay,
    ArrowRight: step,
    "+": faster,
    "=": faster,
    "-": slower,
    _: slower,
  };
  const ours = (event) =>
    !(event.ctrlKey || event.metaKey || event.altKey) && actions[event.key] && !inField(event.target);
  document.addEventListener("keydown", (event) => {
    if (!ours(event)) return;
    event.preventDefault(); // no click of the focused button, no scrolling
    if (!event.repeat || event.key !== " ") actions[event.key]();
  });
  // A button clicks on Space's keyup: keep that from clicking the focused control too.
  document.addEventListener("keyup", (event) => {
    if (event.key === " " && ours(event)) event.preventDefault();
  });
}
