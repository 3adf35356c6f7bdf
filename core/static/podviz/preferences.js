// Theme (light or dark) and projector mode: applied before the page paints, switched by the
// header's buttons, remembered in localStorage. Without a saved choice, the system's
// prefers-color-scheme decides. A classic script, so it runs before the first paint.
(function () {
  const root = document.documentElement;
  const read = (key) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const write = (key, value) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Private windows may refuse storage: the choice then lasts for this page only.
    }
  };
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  root.dataset.theme = read("podviz.theme") || (systemDark.matches ? "dark" : "light");
  root.dataset.projector = read("podviz.projector") === "on" ? "on" : "off";

  const announce = () => window.dispatchEvent(new CustomEvent("podviz:preferences"));
  const reflect = () => {
    const themeButton = document.getElementById("theme-toggle");
    const projectorButton = document.getElementById("projector-toggle");
    if (themeButton) themeButton.setAttribute("aria-pressed", String(root.dataset.theme === "dark"));
    if (projectorButton) projectorButton.setAttribute("aria-pressed", String(root.dataset.projector === "on"));
  };
  systemDark.addEventListener("change", (event) => {
    if (read("podviz.theme")) return;
    root.dataset.theme = event.matches ? "dark" : "light";
    reflect();
    announce();
  });
  document.addEventListener("DOMContentLoaded", () => {
    reflect();
    document.getElementById("theme-toggle")?.addEventListener("click", () => {
      root.dataset.theme = root.dataset.theme === "dark" ? "light" : "dark";
      write("podviz.theme", root.dataset.theme);
      reflect();
      announce();
    });
    document.getElementById("projector-toggle")?.addEventListener("click", () => {
      root.dataset.projector = root.dataset.projector === "on" ? "off" : "on";
      write("podviz.projector", root.dataset.projector);
      reflect();
      announce();
    });
  });
})();
