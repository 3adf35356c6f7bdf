// Translated strings come from Django's JavaScriptCatalog (/jsi18n/), loaded before the modules.
// Call sites keep the literal form gettext("...") so that `makemessages -d djangojs` finds them.
const catalog = globalThis.django ?? null;

export function gettext(text) {
  return catalog ? catalog.gettext(text) : text;
}

// The singular or plural form for `count`, by the page language's plural rule (Korean has one form).
export function ngettext(singular, plural, count) {
  if (catalog) return catalog.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

// "%(pod)s is ready" with {pod: "web-1"}: Django's named interpolation.
export function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

function pageLanguage() {
  return (document.documentElement.lang || "en").split("-")[0];
}

// Scenario texts come as {en: ..., ko: ...}: the page's language, else English, else any.
export function localized(texts) {
  if (texts == null) return "";
  if (typeof texts === "string") return texts;
  return texts[pageLanguage()] || texts.en || Object.values(texts)[0] || "";
}
