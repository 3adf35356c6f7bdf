// The class bar: how many follow the presenter (class.followers messages, docs/protocol.md).
import { format, gettext } from "./i18n.js";

export class Classroom {
  constructor(root) {
    this.role = root?.dataset.role ?? "presenter";
    this.followersElement = root?.querySelector("#followers") ?? null;
    this.followers = null;
  }

  onMessage(message) {
    if (message.type !== "class.followers") return;
    this.followers = message.followers;
    if (!this.followersElement) return;
    this.followersElement.dataset.count = String(message.followers);
    this.followersElement.textContent = format(gettext("%(count)s following"), { count: message.followers });
  }
}
