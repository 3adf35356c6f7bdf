// Keyboard shortcuts: space plays or pauses, → steps one second, + and − change the speed.
// Keys typed into a form field stay with that field.
const EDITABLE = new Set(["INPUT", "SELECT", "TEXTAREA", "BUTTON"]);

export function installShortcuts({ togglePlay, step, faster, slower }) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (EDITABLE.has(target.tagName) || target.isContentEditable)) return;
    const actions = {
      " ": togglePlay,
      ArrowRight: step,
      "+": faster,
      "=": faster,
      "-": slower,
      "_": slower,
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
