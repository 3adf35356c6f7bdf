// The small form that writes a variant: for each probe type, keep the manifest's probe, remove
// it, or set one from a handler and its timings. Writing replaces a variant of the same name.
import { gettext } from "./i18n.js";
import { PROBE_TYPES, VariantWriteError, variantLines, writeVariant } from "./editor_variant.js";

const TIMINGS = ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"];

export class VariantForm {
  constructor(form, { text, write, fail }) {
    this.form = form;
    this.callbacks = { text, write, fail };
    this.field = (name) => form.querySelector(`#${name}`);
    this.probes = Object.fromEntries(PROBE_TYPES.map((type) => [type, this.blankProbe()]));
    this.shownType = this.field("probe-type").value;
    this.field("probe-type").addEventListener("change", () => this.switchProbe());
    form.addEventListener("input", () => this.refresh());
    form.addEventListener("change", () => this.refresh());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.write();
    });
    this.refresh();
  }

  blankProbe() {
    return { mode: "keep", handler: "httpGet", path: "/healthz", port: "8080", command: "", timings: {} };
  }

  setVariantNames(names) {
    const options = names.map((name) => Object.assign(document.createElement("option"), { value: name }));
    this.field("variant-names").replaceChildren(...options);
  }

  // The probe being shown, read from the fields.
  readShown() {
    const timings = {};
    for (const key of TIMINGS) timings[key] = this.field(`probe-${key}`).value;
    this.probes[this.shownType] = {
      mode: this.field("probe-mode").value,
      handler: this.field("probe-handler").value,
      path: this.field("probe-path").value,
      port: this.field("probe-port").value,
      command: this.field("probe-command").value,
      timings,
    };
  }

  switchProbe() {
    this.readShown();
    this.shownType = this.field("probe-type").value;
    const probe = this.probes[this.shownType];
    this.field("probe-mode").value = probe.mode;
    this.field("probe-handler").value = probe.handler;
    this.field("probe-path").value = probe.path;
    this.field("probe-port").value = probe.port;
    this.field("probe-command").value = probe.command;
    for (const key of TIMINGS) this.field(`probe-${key}`).value = probe.timings[key] ?? "";
    this.refresh();
  }

  refresh() {
    this.readShown();
    const probe = this.probes[this.shownType];
    this.field("probe-fields").disabled = probe.mode !== "set";
    for (const element of this.form.querySelectorAll("[data-handler]")) {
      element.hidden = !element.dataset.handler.split(" ").includes(probe.handler);
    }
    try {
      this.field("variant-preview").textContent = variantLines(this.variant(), 0).join("\n");
    } catch (error) {
      this.field("variant-preview").textContent = error.message;
    }
  }

  variant() {
    const probes = {};
    for (const type of PROBE_TYPES) {
      const probe = this.probes[type];
      if (probe.mode === "remove") probes[type] = null;
      if (probe.mode === "set") probes[type] = probeObject(probe);
    }
    const name = this.field("variant-name").value.trim() || "my-variant";
    const title = this.field("variant-title").value.trim();
    return { name, title, probes };
  }

  write() {
    if (!this.form.reportValidity()) return;
    try {
      const { text, line } = writeVariant(this.callbacks.text(), this.variant());
      this.callbacks.write(text, line);
    } catch (error) {
      if (!(error instanceof VariantWriteError)) throw error;
      this.callbacks.fail(`${gettext("The variant could not be written:")} ${error.message}`);
    }
  }
}

// The probe as Kubernetes spells it; the server's validation reports any value it refuses.
function probeObject(probe) {
  const handler = {};
  const port = /^\d+$/.test(probe.port.trim()) ? Number(probe.port) : probe.port.trim();
  if (probe.handler === "httpGet") Object.assign(handler, { path: probe.path, port });
  if (probe.handler === "tcpSocket" || probe.handler === "grpc") handler.port = port;
  if (probe.handler === "exec") handler.command = commandWords(probe.command);
  const result = { [probe.handler]: handler };
  for (const key of TIMINGS) {
    const value = probe.timings[key];
    if (value !== "" && value !== undefined) result[key] = Number(value);
  }
  return result;
}

// `cat /tmp/healthy` as words; a JSON array (["sh", "-c", "..."]) for anything with spaces inside.
function commandWords(command) {
  const trimmed = command.trim();
  if (trimmed.startsWith("[")) {
    try {
      const words = JSON.parse(trimmed);
      if (Array.isArray(words)) return words.map(String);
    } catch {
      // Not JSON after all: taken as words below.
    }
  }
  return trimmed.split(/\s+/).filter(Boolean);
}
