"""Per-second series of one lane: requests and errors per pod, by cause, endpoints.

Each bucket ``[t, t+1)`` closes at ``t+1``. Per-pod counts and states live in growing numpy
matrices (seconds × pods), the open bucket counting straight into its row; the plain lists that
``as_dict`` hands out are extended from them on demand, so closing a bucket costs the same for 2
pods or 400. Pod states are kept current by the lane (``set_pod_state``, ``set_routed``) and
copied whole into each closing second's row.
"""

from __future__ import annotations

import re

import numpy as np

NO_ENDPOINTS = "NoEndpoints"
CONNECTION_REFUSED = "ConnectionRefused"
TIMEOUT = "Timeout"
SERVER_ERROR = "ServerError"
CAUSES = (NO_ENDPOINTS, CONNECTION_REFUSED, TIMEOUT, SERVER_ERROR)
# Causes that only a lane with a serving model has (docs/scenario-format.md "Results").
QUEUE_FULL = "QueueFull"  # the app's queue was full: answered 503 at once
CLIENT_TIMEOUT = "ClientTimeout"  # no answer within the client's timeout
CONNECTION_RESET = "ConnectionReset"  # the process exited while the request was in it
SERVING_ONLY_CAUSES = (QUEUE_FULL, CLIENT_TIMEOUT, CONNECTION_RESET)
SERVING_CAUSES = (*CAUSES, *SERVING_ONLY_CAUSES)
# What each cause means, as the pages explain it (English; the pages translate these texts with
# their catalogues: locale/ko).
CAUSE_DESCRIPTIONS = {
    NO_ENDPOINTS: "No usable endpoint: refused at the Service",
    CONNECTION_REFUSED: "The chosen pod is not listening: booting, exited, stopping",
    TIMEOUT: "A dead node, or an app that does not answer",
    SERVER_ERROR: "The app answered HTTP 5xx",
    QUEUE_FULL: "The app's queue was full: answered 503 at once",
    CLIENT_TIMEOUT: "No answer within the client's timeout",
    CONNECTION_RESET: "The process exited while the request was in it",
}


def breakable(cause: str) -> str:
    """``cause`` with a ``<wbr>`` where its words meet (``No<wbr>Endpoints``), for narrow
    table headings; the names are ASCII words, safe in HTML as they are."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "<wbr>", cause)


# Outcome indexes: 0 is a successful answer, then one per cause.
OUTCOME_INDEX: dict[str | None, int] = {
    None: 0,
    **{cause: index + 1 for index, cause in enumerate(SERVING_CAUSES)},
}
_INITIAL_PODS = 16
POD_STATES = ("running", "ready", "inEndpoints")
# A pod state flag of "no pod": before it was created, after it was removed (None in the lists).
_ABSENT = -1
# What the lists show for the flags _ABSENT, 0 and 1 (indexed by flag + 1).
_SHOWN_FLAGS = np.array([None, 0, 1], dtype=object)


class Series:
    def __init__(self, seconds: int = 256, *, serving: bool = False) -> None:
        """``seconds``: the expected number of buckets (the matrices grow past it if needed);
        ``serving``: the lane has a serving model (its causes, latencies and queues)."""
        causes = SERVING_CAUSES if serving else CAUSES
        self.causes = causes
        self.serving = serving
        self.time: list[int | float] = []  # bucket starts: whole seconds (the last may not be)
        self.no_endpoint_errors: list[int] = []
        self.ready_endpoints: list[int] = []
        self.routed_endpoints: list[int] = []
        self.total_requests: list[int] = []
        self.total_errors: list[int] = []
        self.errors_by_cause: dict[str, list[int]] = {cause: [] for cause in causes}
        self.totals = {"requests": 0, "errors": 0}
        self.totals_by_cause = dict.fromkeys(causes, 0)
        self._slots: dict[str, int] = {}
        # Requests and errors per second and pod row (one second's counts side by side); the
        # open bucket counts straight into row len(time) (zeros until then).
        self._requests = np.zeros((max(seconds, 1), _INITIAL_PODS), dtype=np.int64)
        self._errors = np.zeros_like(self._requests)
        # The open bucket's outcomes. Float: np.bincount's weighted sums (exact for any count
        # below 2**53).
        self._open_outcomes = np.zeros(len(causes) + 1)
        # Lists handed out by as_dict, extended lazily.
        self._request_lists: dict[str, list[int]] = {}
        self._error_lists: dict[str, list[int]] = {}
        # Per pod and second, sampled at the end of the second: container running, pod Ready,
        # kube-proxy routing new connections to it; None before the pod existed and after it
        # was removed. Current flags per pod row, and their history (second × pod × state).
        self._states = np.full((_INITIAL_PODS, len(POD_STATES)), _ABSENT, dtype=np.int8)
        self._state_history = np.full(
            (max(seconds, 1), _INITIAL_PODS, len(POD_STATES)), _ABSENT, dtype=np.int8
        )
        self.pod_states: dict[str, dict[str, list[int | None]]] = {}
        # Serving model only: p50/p99 of the answers served in each second (None: none), the
        # open second's answer times, and per pod the requests in it at each second's end.
        self.latency_p50: list[float | None] = []
        self.latency_p99: list[float | None] = []
        self._open_latencies: list[np.ndarray] = []
        self.in_system: dict[str, list[int | None]] = {}
        self._in_system_now: dict[str, int] = {}

    @property
    def slots(self) -> dict[str, int]:
        """Every pod's row, by name."""
        return self._slots

    def slot(self, name: str) -> int:
        """The row of pod ``name`` (created on first use)."""
        slot = self._slots.get(name)
        if slot is None:
            slot = len(self._slots)
            self._slots[name] = slot
            if slot >= self._states.shape[0]:
                self._grow_pods()
            self._request_lists[name] = []
            self._error_lists[name] = []
            self.pod_states[name] = {state: [] for state in POD_STATES}
            if self.serving:
                self.in_system[name] = [None] * len(self.time)
        return slot

    def set_pod_state(self, slot: int, running: bool, ready: bool, in_endpoints: bool) -> None:
        """The flags of the pod in row ``slot`` from now on (until changed)."""
        self._states[slot] = (running, ready, in_endpoints)

    def set_pod_absent(self, slot: int) -> None:
        """The pod in row ``slot`` no longer exists."""
        self._states[slot] = _ABSENT

    def set_routed(self, slots: np.ndarray) -> None:
        """kube-proxy routes to exactly the pods in rows ``slots``."""
        rows = len(self._slots)
        present = self._states[:rows, 0] != _ABSENT
        routed = np.zeros(rows, dtype=bool)
        routed[slots] = True
        # A removed pod stays absent, even while kube-proxy still routes to it.
        self._states[:rows, 2] = np.where(present, routed, _ABSENT)

    def _grow_pods(self) -> None:
        rows = 2 * self._states.shape[0]
        states = np.full((rows, len(POD_STATES)), _ABSENT, dtype=np.int8)
        states[: self._states.shape[0]] = self._states
        self._states = states
        history = np.full(
            (self._state_history.shape[0], rows, len(POD_STATES)), _ABSENT, dtype=np.int8
        )
        history[:, : self._state_history.shape[1]] = self._state_history
        self._state_history = history
        for name in ("_requests", "_errors"):
            old = getattr(self, name)
            new = np.zeros((old.shape[0], rows), dtype=np.int64)
            new[:, : old.shape[1]] = old
            setattr(self, name, new)

    def _grow_seconds(self) -> None:
        for name in ("_requests", "_errors"):
            old = getattr(self, name)
            new = np.zeros((2 * old.shape[0], old.shape[1]), dtype=np.int64)
            new[: old.shape[0]] = old
            setattr(self, name, new)
        old = self._state_history
        history = np.full((2 * old.shape[0], old.shape[1], old.shape[2]), _ABSENT, dtype=np.int8)
        history[: old.shape[0]] = old
        self._state_history = history

    def add_slice(self, slots: np.ndarray, shares: np.ndarray, outcomes: np.ndarray) -> None:
        """Requests of one slice: ``shares[i]`` went to pod row ``slots[i]`` with ``outcomes[i]``
        (an OUTCOME_INDEX value)."""
        column = len(self.time)
        if column >= self._requests.shape[0]:
            self._grow_seconds()
        self._requests[column][slots] += shares
        if not outcomes.any():
            # Every routed pod answers (the common case): all are successes.
            self._open_outcomes[0] += shares.sum()
            return
        self._errors[column][slots] += shares * (outcomes > 0)
        self._open_outcomes += np.bincount(
            outcomes, weights=shares, minlength=len(self._open_outcomes)
        )

    def add_requests(self, slots: np.ndarray, outcomes: np.ndarray) -> None:
        """Requests one by one: request i went to pod row ``slots[i]`` with ``outcomes[i]``."""
        column = len(self.time)
        if column >= self._requests.shape[0]:
            self._grow_seconds()
        rows = self._requests.shape[1]
        self._requests[column] += np.bincount(slots, minlength=rows)
        failed = outcomes > 0
        if failed.any():
            self._errors[column] += np.bincount(slots[failed], minlength=rows)
        self._open_outcomes += np.bincount(outcomes, minlength=len(self._open_outcomes))

    def add_latencies(self, seconds: np.ndarray) -> None:
        """Answer times of requests served in the open second."""
        if len(seconds):
            self._open_latencies.append(seconds)

    def set_in_system(self, counts: dict[str, int]) -> None:
        """Requests in each named pod's app now (the pods not named: 0, or None if absent)."""
        self._in_system_now = counts

    def add_no_endpoints(self, count: int) -> None:
        self._open_outcomes[OUTCOME_INDEX[NO_ENDPOINTS]] += count

    def close_bucket(self, start: float, ready_endpoints: int, routed_endpoints: int) -> None:
        """Close ``[start, start+1)``: counts so far, and every pod's flags as they are now."""
        column = len(self.time)
        if column >= self._requests.shape[0]:
            self._grow_seconds()
        rows = len(self._slots)
        self._state_history[column, :rows] = self._states[:rows]
        outcomes = [int(count) for count in self._open_outcomes.tolist()]
        self._open_outcomes[:] = 0
        if self.serving:
            self._close_serving(rows)
        self.time.append(int(start) if float(start).is_integer() else start)
        errors = 0
        for index, cause in enumerate(self.causes, start=1):
            count = outcomes[index]
            self.errors_by_cause[cause].append(count)
            self.totals_by_cause[cause] += count
            errors += count
        requests = errors + outcomes[0]
        self.no_endpoint_errors.append(outcomes[OUTCOME_INDEX[NO_ENDPOINTS]])
        self.ready_endpoints.append(ready_endpoints)
        self.routed_endpoints.append(routed_endpoints)
        self.total_requests.append(requests)
        self.total_errors.append(errors)
        self.totals["requests"] += requests
        self.totals["errors"] += errors

    def _close_serving(self, rows: int) -> None:
        latencies = self._open_latencies
        if latencies:
            values = latencies[0] if len(latencies) == 1 else np.concatenate(latencies)
            p50, p99 = np.percentile(values, (50, 99)).tolist()
            self.latency_p50.append(round(p50, 6))
            self.latency_p99.append(round(p99, 6))
            latencies.clear()
        else:
            self.latency_p50.append(None)
            self.latency_p99.append(None)
        counts = self._in_system_now
        present = self._states[:rows, 0] != _ABSENT
        for name, slot in self._slots.items():
            self.in_system[name].append(counts.get(name, 0) if present[slot] else None)

    def _sync_lists(self) -> None:
        # A pod's lists all have the same length (made together, extended together); the pods
        # that share a length are extended with one numpy call per matrix.
        columns = len(self.time)
        behind: dict[int, list[str]] = {}
        for name in self._slots:
            done = len(self._request_lists[name])
            if done < columns:
                behind.setdefault(done, []).append(name)
        for done, names in behind.items():
            rows = np.array([self._slots[name] for name in names], dtype=np.intp)
            for matrix, lists in (
                (self._requests, self._request_lists),
                (self._errors, self._error_lists),
            ):
                # Pods × seconds, made contiguous first: tolist reads it row by row.
                values_by_pod = np.ascontiguousarray(matrix[done:columns, rows].T).tolist()
                for name, values in zip(names, values_by_pod, strict=True):
                    lists[name].extend(values)
            for index, state in enumerate(POD_STATES):
                stored = self._state_history[done:columns, rows, index].T
                shown = _shown_flags(np.ascontiguousarray(stored))
                for name, flags in zip(names, shown, strict=True):
                    self.pod_states[name][state].extend(flags)

    def as_dict(self) -> dict:
        """The series so far, in the results' names (append-only lists, not copies)."""
        self._sync_lists()
        serving = (
            {
                "latencyP50": self.latency_p50,
                "latencyP99": self.latency_p99,
                "inSystem": self.in_system,
            }
            if self.serving
            else {}
        )
        return {
            "time": self.time,
            "requests": self._request_lists,
            "errors": self._error_lists,
            "noEndpointErrors": self.no_endpoint_errors,
            "readyEndpoints": self.ready_endpoints,
            "routedEndpoints": self.routed_endpoints,
            "totalRequests": self.total_requests,
            "totalErrors": self.total_errors,
            "errorsByCause": self.errors_by_cause,
            "podStates": self.pod_states,
            **serving,
        }


def _shown_flags(stored: np.ndarray) -> list[list[int | None]]:
    """Rows of flags -1, 0, 1 (pods × seconds) as lists of None, 0, 1 (Python ints).

    A pod is absent only before it was created and after it was removed, so a row's -1s are
    usually a prefix and a suffix: such rows are converted as ints and their ends overwritten
    (much cheaper than going through an object array); any other row is converted element-wise.
    """
    shown: list[list[int | None]] = stored.tolist()
    width = stored.shape[1]
    present = stored != _ABSENT
    first = present.argmax(axis=1).tolist()
    end = (width - present[:, ::-1].argmax(axis=1)).tolist()
    count = present.sum(axis=1).tolist()
    for index, row in enumerate(shown):
        start, stop = first[index], end[index]
        if count[index] == 0:
            shown[index] = [None] * width
        elif count[index] == stop - start:
            row[:start] = [None] * start
            row[stop:] = [None] * (width - stop)
        else:
            shown[index] = _SHOWN_FLAGS[stored[index] + 1].tolist()
    return shown
