// Written by `python manage.py write_vocabulary` from core/vocabulary.py: edit the
// Python definitions there, not this file.
export const CAUSES = Object.freeze(["NoEndpoints", "ConnectionRefused", "Timeout", "ServerError"]);
export const SERVING_ONLY_CAUSES = Object.freeze(["QueueFull", "ClientTimeout", "ConnectionReset"]);
export const CAUSE_COLOURS = Object.freeze({"NoEndpoints": "#8c8c8c", "ConnectionRefused": "#CC79A7", "Timeout": "#D55E00", "ServerError": "#E69F00", "QueueFull": "#0072B2", "ClientTimeout": "#56B4E9", "ConnectionReset": "#009E73"});
export const STATE_KINDS = Object.freeze(["running", "ready", "inEndpoints"]);
