// The Kubernetes events of one lane at a time, full width, like `kubectl get events`.
import { format, gettext } from "./i18n.js";
import { renderEvents } from "./lane_tables.js";

export class EventsPanel {
  constructor(root) {
    this.select = root.querySelector("#events-lane");
    this.caption = root.querySelector(".events-caption");
    this.rows = root.querySelector(".events-table tbody");
    this.signature = "";
    this.onChange = () => {};
    this.select.addEventListener("change", () => this.onChange());
  }

  setLanes(titles) {
    const chosen = this.select.selectedIndex;
    this.select.replaceChildren(...titles.map((title, index) => new Option(title, String(index))));
    this.select.selectedIndex = chosen >= 0 && chosen < titles.length ? chosen : 0;
    this.signature = "";
  }

  draw(buffers, titles, now) {
    const index = Number(this.select.value || 0);
    const buffer = buffers[index];
    if (!buffer) return;
    const last = [...buffer.events.values()].at(-1);
    const signature = `${index}|${buffer.events.size}|${last?.time}|${last?.count}|${Math.floor(now)}`;
    if (signature === this.signature) return;
    this.signature = signature;
    this.caption.textContent = format(gettext("Events in the lane %(lane)s, newest first"), { lane: titles[index] });
    renderEvents(this.rows, buffer.events, now);
  }
}
