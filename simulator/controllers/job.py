"""The Job controller: runs pods until ``completions`` succeed or the backoff limit is passed.

docs/kubernetes-model.md §1.6; k/k pkg/controller/job/job_controller.go (syncJob, manageJob,
pastBackoffLimitOnFailure, pastActiveDeadline), pkg/controller/job/backoff_utils.go. A failed
pod is replaced after the pod failure backoff: 10 s doubling per consecutive failure, capped at
10 min. ``activeDeadlineSeconds`` after the Job's start it fails with DeadlineExceeded and its
active pods are deleted (docs/kubernetes-model.md §8.9). A failed pod goes through the
``podFailurePolicy`` rules in order (pkg/controller/job/pod_failure_policy.go
(matchPodFailurePolicy)): the first match decides: FailJob fails the Job at once (reason
PodFailurePolicy), Ignore does not count the failure, Count counts it as usual (§8.12).
"""

from __future__ import annotations

from simulator.api.meta import NAMESPACE
from simulator.api.phase import FAILED, PENDING, RUNNING, SUCCEEDED
from simulator.api.pod import Pod
from simulator.clock import Timer
from simulator.controllers.workloads import ControllerServices
from simulator.scenario.types import Workload

# Pod failure backoff (k/k pkg/controller/job/job_controller.go DefaultJobPodFailureBackOff,
# MaxJobPodFailureBackOff).
JOB_BACKOFF_INITIAL = 10.0
JOB_BACKOFF_MAX = 600.0


class Job:
    def __init__(self, services: ControllerServices, workload: Workload) -> None:
        self.services = services
        self.workload = workload
        self.pods: list[Pod] = []
        self.finished: str | None = None  # "Complete" or "Failed"
        self._counted_failures: set[str] = set()
        self._ignored_failures: set[str] = set()  # pod uids, by an Ignore rule
        self._fail_job: str | None = None  # the message of a matched FailJob rule
        self._failures_since_success = 0
        self._last_failure_at: float | None = None
        self._succeeded_seen = 0
        self._dirty = False
        self._wake: Timer | None = None

    @property
    def ref(self) -> str:
        return f"Job/{self.workload.name}"

    def start(self) -> None:
        deadline = self.workload.active_deadline_seconds
        if deadline is not None:
            # status.startTime is the first sync; pastActiveDeadline compares it with now.
            clock = self.services.clock
            clock.schedule(clock.now + deadline, self._deadline_passed)
        self.reconcile()

    def _deadline_passed(self) -> None:
        """pastActiveDeadline: the Job fails, DeadlineExceeded, and its active pods go."""
        if self.finished is not None:
            return
        self._fail(
            [pod for pod in self.pods if pod.active],
            "DeadlineExceeded",
            "Job was active longer than specified deadline",
        )

    def scale(self, replicas: int) -> None:
        return None

    def rollout_restart(self) -> None:
        return None

    def status(self) -> dict:
        """succeeded/failed/active counts and the Complete or Failed condition once finished."""
        conditions = []
        if self.finished is not None:
            conditions.append({"type": self.finished, "status": "True"})
        return {
            "kind": "Job",
            "name": self.workload.name,
            "active": sum(1 for pod in self.pods if pod.active),
            "succeeded": self.succeeded,
            "failed": self.failed,
            "conditions": conditions,
        }

    def pod_changed(self, pod: Pod) -> None:
        if not self._dirty:
            self._dirty = True
            self.services.clock.call_soon(self.reconcile)

    @property
    def succeeded(self) -> int:
        return sum(1 for pod in self.pods if pod.phase == SUCCEEDED)

    @property
    def failed(self) -> int:
        """Failed pods counted against the backoff limit (not those an Ignore rule matched)."""
        return sum(
            1 for pod in self.pods if pod.phase == FAILED and pod.uid not in self._ignored_failures
        )

    def _count_new_outcomes(self) -> None:
        now = self.services.clock.now
        for pod in self.pods:
            if pod.phase == FAILED and pod.name not in self._counted_failures:
                self._counted_failures.add(pod.name)
                action, message = self._policy_match(pod)
                if action == "Ignore":
                    self._ignored_failures.add(pod.uid)
                    continue
                if action == "FailJob" and self._fail_job is None:
                    self._fail_job = message
                self._failures_since_success += 1
                self._last_failure_at = now
        succeeded = self.succeeded
        if succeeded > self._succeeded_seen:
            self._succeeded_seen = succeeded
            self._failures_since_success = 0

    def reconcile(self) -> None:
        self._dirty = False
        if self.finished is not None:
            return
        self._count_new_outcomes()
        workload = self.workload
        active = [pod for pod in self.pods if pod.active]
        if self._fail_job is not None:
            self._fail(active, "PodFailurePolicy", self._fail_job)
            return
        past_limit = self.failed > workload.backoff_limit or self._past_backoff_limit_on_failure()
        if past_limit:
            self._fail(
                active, "BackoffLimitExceeded", "Job has reached the specified backoff limit"
            )
            return
        if self.succeeded >= workload.completions:
            self.finished = "Complete"
            self.services.events.normal(self.ref, "Completed", "Job completed")
            return
        wanted = min(workload.parallelism, workload.completions - self.succeeded) - len(active)
        if wanted <= 0:
            return
        ready_at = self._backoff_until()
        if ready_at is not None and ready_at > self.services.clock.now:
            if self._wake is None:
                self._wake = self.services.clock.schedule(ready_at, self._wake_up)
            return
        for _ in range(wanted):
            self._create_pod()

    def _policy_match(self, pod: Pod) -> tuple[str | None, str]:
        """The action of the first podFailurePolicy rule the failed pod matches, and the
        message a FailJob match gives (matchPodFailurePolicy)."""
        ref = f"{NAMESPACE}/{pod.name}"
        for index, rule in enumerate(self.workload.pod_failure_policy):
            if rule.operator is not None:
                for container in pod.all_containers:
                    code = container.exit_code
                    if code is None or code == 0 or container.terminated is None:
                        continue
                    if rule.container_name not in (None, container.name):
                        continue
                    if (code in rule.values) == (rule.operator == "In"):
                        return rule.action, (
                            f"Container {container.name} for pod {ref} failed with exit code "
                            f"{code} matching {rule.action} rule at index {index}"
                        )
            for kind, status in rule.on_pod_conditions:
                condition = pod.conditions.get(kind)
                if condition is not None and condition.status == status:
                    return rule.action, (
                        f"Pod {ref} has condition {kind} matching {rule.action} rule at index "
                        f"{index}"
                    )
        return None, ""

    def _past_backoff_limit_on_failure(self) -> bool:
        """k/k job_controller.go pastBackoffLimitOnFailure: with restartPolicy OnFailure, the
        restarts of every container (init ones included) of the Pending and Running pods count
        against the limit; a limit of 0 is passed at the first restart."""
        workload = self.workload
        if workload.template.restart_policy != "OnFailure":
            return False
        restarts = sum(
            pod.restart_count
            for pod in self.pods
            if pod.phase in (PENDING, RUNNING) and not pod.removed
        )
        if workload.backoff_limit == 0:
            return restarts > 0
        return restarts >= workload.backoff_limit

    def _wake_up(self) -> None:
        self._wake = None
        self.reconcile()

    def _backoff_until(self) -> float | None:
        if self._failures_since_success == 0 or self._last_failure_at is None:
            return None
        delay = JOB_BACKOFF_INITIAL * 2 ** (self._failures_since_success - 1)
        return self._last_failure_at + min(delay, JOB_BACKOFF_MAX)

    def _fail(self, active: list[Pod], reason: str, message: str) -> None:
        self.finished = "Failed"
        self.services.events.warning(self.ref, reason, message)
        for pod in active:
            self.services.api.delete_pod(pod)

    def _create_pod(self) -> None:
        api = self.services.api
        name = api.next_pod_name(self.workload.name)
        pod = api.create_pod(
            name, self.workload.template, self.services.behavior, self, self.workload.name
        )
        self.pods.append(pod)
        self.services.events.normal(self.ref, "SuccessfulCreate", f"Created pod: {pod.name}")
        self.services.scheduler.schedule(pod)
