// Writes one variant into the scenario's `spec.variants` list as text, so that everything else
// the user wrote (comments, key order, layout) stays exactly as it was. Values are written in
// YAML flow style ({httpGet: {path: "/healthz", port: 8080}}), which any YAML reader takes.

export const PROBE_TYPES = ["readinessProbe", "livenessProbe", "startupProbe"];

export class VariantWriteError extends Error {}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function flowValue(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value); // a JSON string is a YAML one
  if (Array.isArray(value)) return `[${value.map(flowValue).join(", ")}]`;
  const entries = Object.entries(value).map(
    ([key, item]) => `${PLAIN_KEY.test(key) ? key : JSON.stringify(key)}: ${flowValue(item)}`,
  );
  return `{${entries.join(", ")}}`;
}

// variant: {name, title, probes: {readinessProbe: null | {...}, ...}}; a probe type left out
// keeps the manifest's probe. Lines of one list item whose dash is at `indent` spaces.
export function variantLines(variant, indent) {
  const pad = " ".repeat(indent);
  const lines = [`${pad}- name: ${variant.name}`];
  if (variant.title) lines.push(`${pad}  title: ${flowValue(variant.title)}`);
  const probes = PROBE_TYPES.filter((type) => type in (variant.probes || {}));
  if (probes.length) {
    lines.push(`${pad}  probes:`);
    for (const type of probes) lines.push(`${pad}    ${type}: ${flowValue(variant.probes[type])}`);
  }
  return lines;
}

const indentOf = (line) => line.length - line.trimStart().length;
const isContent = (line) => line.trim() !== "" && !line.trimStart().startsWith("#");

// The new text and the 0-based line where the variant starts.
export function writeVariant(text, variant) {
  const lines = text.split("\n");
  const specLine = lines.findIndex((line) => /^spec:\s*(#.*)?$/.test(line));
  if (specLine < 0) throw new VariantWriteError("the document has no block `spec:` at the top level");
  const specEnd = blockEnd(lines, specLine + 1, (line) => indentOf(line) === 0);
  const firstChild = lines.slice(specLine + 1, specEnd).find(isContent);
  const childIndent = firstChild ? indentOf(firstChild) : 2;
  const keyPattern = new RegExp(`^ {${childIndent}}variants:\\s*(.*)$`);
  let variantsLine = -1;
  for (let index = specLine + 1; index < specEnd; index += 1) {
    if (indentOf(lines[index]) === childIndent && keyPattern.test(lines[index])) variantsLine = index;
  }
  if (variantsLine < 0) {
    const at = lastContent(lines, specLine, specEnd) + 1;
    const added = [`${" ".repeat(childIndent)}variants:`, ...variantLines(variant, childIndent)];
    return splice(lines, at, at, added, at + 1);
  }
  const rest = lines[variantsLine].match(keyPattern)[1].replace(/\s+#.*$/, "").trim();
  if (rest === "[]") {
    const added = [`${" ".repeat(childIndent)}variants:`, ...variantLines(variant, childIndent)];
    return splice(lines, variantsLine, variantsLine + 1, added, variantsLine + 1);
  }
  if (rest !== "") {
    throw new VariantWriteError("spec.variants is written in flow style ([...]): edit it by hand");
  }
  const listEnd = blockEnd(
    lines,
    variantsLine + 1,
    (line) => indentOf(line) < childIndent || (indentOf(line) === childIndent && !line.trimStart().startsWith("-")),
  );
  const firstItem = lines.slice(variantsLine + 1, listEnd).find(isContent);
  const dashIndent = firstItem ? indentOf(firstItem) : childIndent;
  const items = listItems(lines, variantsLine + 1, listEnd, dashIndent);
  const replaced = items.find((item) => item.name === variant.name);
  const newLines = variantLines(variant, dashIndent);
  if (replaced) return splice(lines, replaced.start, replaced.end, newLines, replaced.start);
  const at = lastContent(lines, variantsLine, listEnd) + 1;
  return splice(lines, at, at, newLines, at);
}

// The first line from `start` that ends a block (a content line for which `ends` holds).
function blockEnd(lines, start, ends) {
  for (let index = start; index < lines.length; index += 1) {
    if (isContent(lines[index]) && ends(lines[index])) return index;
  }
  return lines.length;
}

function lastContent(lines, start, end) {
  let last = start;
  for (let index = start + 1; index < end; index += 1) if (isContent(lines[index])) last = index;
  return last;
}

// The list's items: where each starts and ends (trailing blank lines and comments excluded),
// and its name if it has one.
function listItems(lines, start, end, dashIndent) {
  const starts = [];
  for (let index = start; index < end; index += 1) {
    const line = lines[index];
    if (isContent(line) && indentOf(line) === dashIndent && line.trimStart().startsWith("-")) starts.push(index);
  }
  return starts.map((itemStart, position) => {
    const next = position + 1 < starts.length ? starts[position + 1] : end;
    const itemEnd = lastContent(lines, itemStart, next) + 1;
    return { start: itemStart, end: itemEnd, name: itemName(lines.slice(itemStart, itemEnd), dashIndent) };
  });
}

function itemName(itemLines, dashIndent) {
  const unquote = (value) => value.trim().replace(/\s+#.*$/, "").replace(/^(["'])(.*)\1$/, "$2");
  const first = itemLines[0].trimStart().replace(/^-\s*/, "");
  const flow = first.match(/^\{.*?\bname:\s*([^,}]+)/);
  if (flow) return unquote(flow[1]);
  const inline = first.match(/^name:\s*(.+)$/);
  if (inline) return unquote(inline[1]);
  for (const line of itemLines.slice(1)) {
    const key = line.match(/^\s*name:\s*(.+)$/);
    if (key && indentOf(line) === dashIndent + 2) return unquote(key[1]);
  }
  return null;
}

function splice(lines, start, end, added, line) {
  const result = [...lines.slice(0, start), ...added, ...lines.slice(end)];
  return { text: result.join("\n"), line };
}
