// The browser modules of every app's static/podviz/ folder share one URL namespace
// (/static/podviz/...), as Django's AppDirectoriesFinder serves them, so a module imports
// "./i18n.js" whichever app holds it. Node resolves relative imports on disk: this hook finds a
// module missing beside its importer in the other apps' static folders, as the finder would.
// Used by `make test-js`: node --import ./tests/js/static_finder.mjs --test tests/js/
import { register } from "node:module";

register("./static_finder_hooks.mjs", import.meta.url);
