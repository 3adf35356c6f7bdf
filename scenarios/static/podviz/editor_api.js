// The scenario API (docs/scenario-api.md) as the editor uses it: every call answers
// {status, body} and never throws for an HTTP error, so the caller can show the server's words.

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

async function call(url, { method = "POST", json, form } = {}) {
  const headers = { "X-CSRFToken": csrfToken() };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  const response = await fetch(url, { method, headers, body, credentials: "same-origin" });
  let answer;
  try {
    answer = await response.json();
  } catch {
    answer = { error: `${response.status} ${response.statusText}` };
  }
  return { status: response.status, body: answer };
}

export const validateScenario = (yaml) => call("/api/scenarios/validate", { json: { yaml } });
export const createScenario = (yaml) => call("/api/scenarios", { json: { yaml } });
export const updateScenario = (slug, yaml, version) =>
  call(`/api/scenarios/${slug}`, { method: "PUT", json: { yaml, version } });
export const scenarioFromManifest = (manifest, name) =>
  call("/api/scenarios/from-manifest", { json: name ? { manifest, name } : { manifest } });

export function importScenario(file) {
  const form = new FormData();
  form.append("file", file);
  return call("/api/scenarios/import", { form });
}

// Runs the text as it is, saved or not; anyone may. 201 {runId, url}: the caller opens the run page.
export const startRun = (yaml) => call("/api/runs", { json: { yaml } });
