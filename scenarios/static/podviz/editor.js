// The scenario editor: YAML in CodeMirror 5, checked by the server as the user types, saved,
// exported, imported and run through the scenario API. Nothing the user typed is replaced on an
// error: the server's answer is shown beside the text.
import {
  createScenario,
  importScenario,
  scenarioFromManifest,
  startRun,
  updateScenario,
  validateScenario,
} from "./editor_api.js";
import { VariantForm } from "./editor_variant_form.js";
import { format, gettext } from "./i18n.js";

const VALIDATE_DELAY_MS = 300;
const loaded = JSON.parse(document.getElementById("editor-document").textContent);
const state = {
  slug: loaded.slug || null,
  version: loaded.version,
  builtIn: loaded.builtIn,
  savedText: loaded.slug ? loaded.yaml : null,
  summary: null,
};
const hooks = { validations: 0, problems: [], valid: null, saves: 0, message: "" };
window.podvizEditor = hooks;

const $ = (id) => document.getElementById(id);
$("yaml-source").value = loaded.yaml;
const cm = CodeMirror.fromTextArea($("yaml-source"), {
  mode: "yaml",
  lineNumbers: true,
  indentUnit: 2,
  tabSize: 2,
  gutters: ["CodeMirror-lint-markers"],
  extraKeys: { Tab: (editor) => editor.execCommand("insertSoftTab") },
  lint: { getAnnotations: lintDocument, async: true, delay: VALIDATE_DELAY_MS },
});
hooks.cm = cm;
cm.on("change", () => {
  setStatus("checking", gettext("Checking…"));
  showPermalink();
});

// Validation ---------------------------------------------------------------------------------

async function lintDocument(text, updateLinting) {
  let answer;
  try {
    answer = await validateScenario(text);
  } catch {
    setStatus("error", gettext("Cannot reach the server"));
    return;
  }
  if (cm.getValue() !== text) return; // typed since: a newer check is on its way
  const problems = answer.body.problems ?? [{ path: "", message: answer.body.error, line: null, column: null }];
  state.summary = answer.status === 200 && answer.body.valid ? answer.body.summary : null;
  hooks.validations += 1;
  hooks.problems = problems;
  hooks.valid = problems.length === 0;
  showProblems(problems);
  updateLinting(annotations(problems));
  hooks.variantNames = (state.summary?.variants ?? []).map((variant) => variant.name);
  variantForm.setVariantNames(hooks.variantNames);
  hooks.checkedText = text;
}

function annotations(problems) {
  return problems
    .filter((problem) => problem.line)
    .map((problem) => {
      const line = Math.min(problem.line - 1, cm.lastLine());
      const length = cm.getLine(line).length;
      const start = Math.min(Math.max((problem.column ?? 1) - 1, 0), length);
      return {
        from: CodeMirror.Pos(line, start === length ? 0 : start),
        to: CodeMirror.Pos(line, length),
        message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
        severity: "error",
      };
    });
}

function showProblems(problems) {
  const list = $("problems");
  list.replaceChildren(...problems.map(problemItem));
  $("no-problems").hidden = problems.length > 0;
  $("problem-count").textContent = problems.length ? `(${problems.length})` : "";
  if (problems.length) {
    const text = problems.length === 1 ? gettext("1 problem") : format(gettext("%(count)s problems"), { count: problems.length });
    setStatus("invalid", text);
  } else {
    setStatus("valid", gettext("Valid"));
  }
}

function problemItem(problem) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "problem";
  const path = document.createElement("code");
  path.className = "problem-path";
  path.textContent = problem.path || gettext("(document)");
  const where = document.createElement("span");
  where.className = "problem-position";
  where.textContent = problem.line
    ? format(gettext("line %(line)s, column %(column)s"), { line: problem.line, column: problem.column ?? 1 })
    : gettext("no line");
  const message = document.createElement("span");
  message.className = "problem-message";
  message.textContent = problem.message;
  button.append(path, where, message);
  if (problem.line) {
    button.dataset.line = String(problem.line);
    button.addEventListener("click", () => jumpTo(problem.line, problem.column ?? 1));
  } else {
    button.disabled = true;
  }
  item.append(button);
  return item;
}

function jumpTo(line, column) {
  const position = CodeMirror.Pos(line - 1, column - 1);
  cm.setCursor(position);
  cm.scrollIntoView(position, 80);
  cm.focus();
}

function setStatus(kind, text) {
  const badge = $("editor-status");
  badge.dataset.state = kind;
  badge.textContent = text;
}

// Messages -----------------------------------------------------------------------------------

function showMessage(kind, text, problems = []) {
  const box = $("editor-message");
  const lines = problems.map((problem) =>
    [problem.path, problem.line ? `${problem.line}:${problem.column ?? 1}` : "", problem.message].filter(Boolean).join(" "),
  );
  box.dataset.kind = kind;
  box.textContent = [text, ...lines].join("\n");
  box.hidden = false;
  hooks.message = box.textContent;
}

function showLink(kind, text, href, label) {
  showMessage(kind, text);
  const link = document.createElement("a");
  link.href = href;
  link.textContent = label;
  $("editor-message").append(" ", link);
}

// The server's refusal, in the page's language, with the problems it lists; a login it asks for
// is a link rather than an address in the text.
function showRefusal(body, fallback) {
  if (body.login) {
    showLoginNeeded(body.login);
    return;
  }
  showMessage("error", body.error || fallback, body.problems ?? []);
}

function showLoginNeeded(href) {
  showLink("error", gettext("Saving and importing need a login; running does not."), href, gettext("Log in"));
}

// The page offers the login page to an anonymous visitor: saving and importing then say so at
// once, without a request the server would refuse.
const loginLink = document.querySelector("#login-notice a");

// Saving -------------------------------------------------------------------------------------

const isDirty = () => cm.getValue() !== state.savedText;

async function save() {
  const text = cm.getValue();
  let answer;
  try {
    // The server refuses an invalid document too; checking first keeps the answer plain.
    const check = await validateScenario(text);
    if (!check.body.valid) {
      showMessage("error", gettext("Not saved: this scenario has problems. Your text is still here."), check.body.problems ?? []);
      return;
    }
    if (loginLink) {
      showLoginNeeded(loginLink.getAttribute("href"));
      return;
    }
    const update = state.version != null && check.body.summary.name === state.slug;
    answer = update ? await updateScenario(state.slug, text, state.version) : await createScenario(text);
  } catch {
    showMessage("error", gettext("Cannot reach the server: nothing was saved. Your text is still here."));
    return;
  }
  if (answer.status === 200 || answer.status === 201) {
    saved(answer.body, text);
  } else {
    showRefusal(answer.body, gettext("Nothing was saved."));
  }
}

function saved(scenario, text) {
  const copy = state.slug !== scenario.slug;
  Object.assign(state, { slug: scenario.slug, version: scenario.version, builtIn: false, savedText: text });
  hooks.saves += 1;
  history.replaceState(null, "", `/editor/${scenario.slug}/`);
  $("editor-heading").textContent = format(gettext("Edit %(slug)s"), { slug: scenario.slug });
  $("editor-version").textContent = format(gettext("version %(version)s"), { version: scenario.version });
  const message = copy
    ? format(gettext("Saved as %(slug)s (version %(version)s)."), scenario)
    : format(gettext("Saved (version %(version)s)."), scenario);
  showMessage("ok", message);
  showPermalink();
}

// Running needs no login and saves nothing: the server runs the text as it stands (as the saved
// scenario when it is that one's text) and this browser presents the run.
async function run() {
  const text = cm.getValue();
  let answer;
  try {
    // As for saving: the server refuses an invalid document too; checking first keeps the answer plain.
    const check = await validateScenario(text);
    if (!check.body.valid) {
      const headline = gettext("Not run: this scenario has problems. Fix each field listed, then press Run again.");
      showMessage("error", check.body.error || headline, check.body.problems ?? []);
      return;
    }
    answer = await startRun(text);
  } catch {
    showMessage("error", gettext("Cannot reach the server: the run did not start. Your text is still here."));
    return;
  }
  if (answer.status === 201) {
    location.assign(answer.body.url);
    return;
  }
  showRefusal(answer.body, gettext("The run did not start."));
}

function exportYaml() {
  const link = document.createElement("a");
  if (state.slug && !isDirty()) {
    link.href = `/scenarios/${state.slug}.yaml`; // the stored text, byte for byte
  } else {
    link.href = URL.createObjectURL(new Blob([cm.getValue()], { type: "application/yaml" }));
  }
  link.download = `${state.summary?.name || state.slug || "scenario"}.yaml`;
  document.body.append(link);
  link.click();
  link.remove();
}

async function importFile(file) {
  if (loginLink) {
    showLoginNeeded(loginLink.getAttribute("href"));
    return;
  }
  let answer;
  try {
    answer = await importScenario(file);
  } catch {
    showMessage("error", gettext("Cannot reach the server: nothing was imported."));
    return;
  }
  if (answer.status !== 201 && answer.status !== 200) {
    showRefusal(answer.body, gettext("Nothing was imported."));
    return;
  }
  const href = `/editor/${answer.body.slug}/`;
  if (isDirty()) {
    showLink("info", format(gettext("Imported as %(slug)s."), answer.body), href, gettext("Open it (your unsaved text here will be left)"));
  } else {
    location.assign(href);
  }
}

// Manifest -----------------------------------------------------------------------------------

async function buildFromManifest() {
  const manifest = $("manifest-text").value;
  const name = $("manifest-name").value.trim();
  let answer;
  try {
    answer = await scenarioFromManifest(manifest, name);
  } catch {
    showMessage("error", gettext("Cannot reach the server."));
    return;
  }
  if (answer.status !== 200) {
    showRefusal(answer.body, gettext("No scenario could be built."));
    return;
  }
  cm.setValue(answer.body.yaml); // undoable: Ctrl+Z brings the previous text back
  const listItems = (lines) => lines.map((line) => Object.assign(document.createElement("li"), { textContent: line }));
  $("manifest-notes").replaceChildren(...listItems(answer.body.notes));
  $("cannot-judge-list").replaceChildren(...listItems(answer.body.cannotJudge));
  $("cannot-judge").hidden = answer.body.cannotJudge.length === 0;
  showMessage("ok", format(gettext("A scenario was built around %(kind)s %(name)s."), answer.body.workload));
}

// Permalink ----------------------------------------------------------------------------------

function showPermalink() {
  const field = $("permalink");
  const playable = state.slug && !isDirty();
  $("permalink-hint").hidden = Boolean(playable);
  if (!playable) {
    field.value = "";
    return;
  }
  const query = new URLSearchParams({ t: $("permalink-time").value || "0", speed: $("permalink-speed").value || "1" });
  field.value = `${location.origin}/scenarios/${state.slug}/play?${query}`;
}

// Wiring -------------------------------------------------------------------------------------

const variantForm = new VariantForm($("variant-form"), {
  text: () => cm.getValue(),
  write: (text, line) => {
    cm.setValue(text);
    jumpTo(line + 1, 1);
  },
  fail: (message) => showMessage("error", message),
});

$("save").addEventListener("click", save);
$("run").addEventListener("click", run);
$("export").addEventListener("click", exportYaml);
$("import-file").addEventListener("change", (event) => {
  const [file] = event.target.files;
  if (file) importFile(file);
  event.target.value = "";
});
$("manifest-build").addEventListener("click", buildFromManifest);
$("permalink-time").addEventListener("input", showPermalink);
$("permalink-speed").addEventListener("input", showPermalink);
$("permalink").addEventListener("focus", (event) => event.target.select());
showPermalink();
hooks.ready = true;
