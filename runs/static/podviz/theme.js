// The page's theme as the charts need it: colours from the CSS custom properties, and the sizes
// of projector mode. Read at each redraw, so a theme switch only needs one.
export function chartTheme() {
  const root = document.documentElement;
  const styles = getComputedStyle(root);
  const read = (name) => styles.getPropertyValue(name).trim();
  return {
    name: root.dataset.theme === "dark" ? "dark" : "light",
    scale: root.dataset.projector === "on" ? 1.5 : 1,
    fontFamily: read("--font") || "system-ui, sans-serif",
    fg: read("--fg"),
    bg: read("--bg"),
    grid: read("--grid"),
    off: read("--state-off"),
  };
}
