// The key shared by every lane: a pod's colour is the same everywhere.
import { swatchBackground } from "./palette.js";

export function renderPodLegend(list, styles, theme) {
  const signature = `${theme.name}|${styles.names().join(",")}`;
  if (list.dataset.signature === signature) return;
  list.dataset.signature = signature;
  list.replaceChildren(
    ...styles.names().map((pod) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch pod-swatch";
      swatch.style.background = swatchBackground(styles.style(pod, theme.name));
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, pod);
      return item;
    }),
  );
}
