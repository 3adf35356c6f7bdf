// Resolve hooks for tests/js/static_finder.mjs.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Each app's static folder (an app is a top-level folder with a static/ folder inside).
const STATIC_FOLDERS = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
  .map((entry) => path.join(ROOT, entry.name, "static"))
  .filter((folder) => existsSync(folder));

function findStatic(staticPath) {
  for (const folder of STATIC_FOLDERS) {
    const file = path.join(folder, staticPath);
    if (existsSync(file)) return pathToFileURL(file).href;
  }
  return null;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith("./") && context.parentURL?.startsWith("file:")) {
    const parent = fileURLToPath(context.parentURL);
    const folder = STATIC_FOLDERS.find((candidate) => parent.startsWith(candidate + path.sep));
    const target = path.resolve(path.dirname(parent), specifier);
    if (folder && !existsSync(target)) {
      const url = findStatic(path.relative(folder, target));
      if (url) return { url, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}
