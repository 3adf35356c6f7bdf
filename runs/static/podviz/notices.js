// Messages the page must not hide: errors from the server, a run that ended. Each can be
// dismissed; the page keeps working under them.
import { gettext } from "./i18n.js";

const MAX_NOTICES = 3;

export class Notices {
  constructor(root) {
    this.root = root;
  }

  // `action`: {text, onClick} for a button that does what the message suggests.
  // The same message shown again replaces the one on screen (a class's refusals would stack
  // up otherwise) and counts how often it came.
  show(text, { kind = "error", link = null, action = null } = {}) {
    const same = [...this.root.children].find((shown) => shown.dataset.text === text && shown.dataset.kind === kind);
    if (same) {
      same.dataset.repeats = String(Number(same.dataset.repeats ?? 1) + 1);
      this.root.append(same);
      return same;
    }
    const notice = document.createElement("div");
    notice.dataset.text = text;
    notice.dataset.kind = kind;
    notice.className = `notice notice-${kind}`;
    notice.setAttribute("role", kind === "error" ? "alert" : "status");
    const message = document.createElement("p");
    message.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      message.append(" ", anchor);
    }
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "notice-action primary";
      button.textContent = action.text;
      button.addEventListener("click", action.onClick);
      message.append(" ", button);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "notice-close";
    close.textContent = "×";
    close.setAttribute("aria-label", gettext("Dismiss"));
    close.addEventListener("click", () => notice.remove());
    notice.append(message, close);
    this.root.append(notice);
    while (this.root.children.length > MAX_NOTICES) this.root.firstElementChild.remove();
    return notice;
  }
}
