"""The colours of the shared vocabulary, defined once: the reports draw with them, and the
dashboard serves them to the browser (core/vocabulary.py writes the page's module from them)."""

from __future__ import annotations

# Okabe–Ito colours, which colour-blind readers can tell apart; a neutral grey for NoEndpoints,
# where no pod was there to answer. Keyed by simulator.results.series.CAUSES.
CAUSE_COLOURS = {
    "NoEndpoints": "#8c8c8c",
    "ConnectionRefused": "#CC79A7",
    "Timeout": "#D55E00",
    "ServerError": "#E69F00",
    # Only lanes with a serving model have these (simulator.results.series.SERVING_ONLY_CAUSES).
    "QueueFull": "#0072B2",
    "ClientTimeout": "#56B4E9",
    "ConnectionReset": "#009E73",
}
