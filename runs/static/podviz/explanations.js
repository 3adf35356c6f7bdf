// Why something happened, in plain words, for hover texts and the fault form's hint.
import { format, gettext } from "./i18n.js";
import { seconds } from "./format.js";

// A scenario or injected event (scenario-format.md, "Event actions").
export function explainAction(event) {
  const values = {
    node: event.node ?? "",
    pod: event.pod ?? "",
    code: event.exit_code ?? event.exitCode ?? 1,
    replicas: event.replicas ?? "",
    rate: event.requests_per_second ?? event.requestsPerSecond ?? "",
  };
  const texts = {
    NodeDown: gettext(
      "%(node)s goes down: its kubelet stops, so there are no heartbeats, no probes and no status updates. Until Kubernetes notices, the Service keeps sending the pods on %(node)s their share of requests, and those requests time out.",
    ),
    NodeUp: gettext("%(node)s comes back: its kubelet posts status again and the node becomes Ready."),
    AppHang: gettext(
      "The app in %(pod)s hangs: the process stays up and accepts connections, but answers requests and probes with HTTP 500. The pod stays Running.",
    ),
    AppUnresponsive: gettext(
      "The app in %(pod)s stops answering: it accepts connections but never replies, so requests and probes time out.",
    ),
    AppCrash: gettext(
      "The process in %(pod)s exits (exit code %(code)s). The kubelet restarts the container, and waits longer after each repeated crash (CrashLoopBackOff).",
    ),
    AppRecover: gettext("The fault in %(pod)s clears by itself, without a restart."),
    DeletePod: gettext(
      "%(pod)s is deleted (kubectl delete pod): it terminates gracefully, leaves the Service's endpoints, and its ReplicaSet creates a replacement.",
    ),
    Scale: gettext("The Deployment is scaled to %(replicas)s replicas."),
    RolloutRestart: gettext(
      "A rolling update of the Deployment starts: new pods are created and old ones removed, a few at a time.",
    ),
    SetTraffic: gettext("The request rate changes to %(rate)s per second."),
  };
  return format(texts[event.action] ?? event.action, values);
}

// A Kubernetes event that is a chart marker. `context` knows when nodes went down and became
// NotReady, which node a pod ran on, and the probe thresholds.
export function explainKubernetesEvent(event, name, context) {
  switch (event.reason) {
    case "NodeNotReady": {
      const downAt = context.nodeDownBefore(name, event.time);
      if (downAt === null) {
        return format(
          gettext(
            "%(node)s stopped posting status: the node lifecycle controller marks it NotReady and its pods Ready=False, so the Service stops sending them traffic.",
          ),
          { node: name },
        );
      }
      return format(
        gettext(
          "%(node)s missed heartbeats for %(seconds)s s (node-monitor grace period): the node lifecycle controller marks it NotReady and its pods Ready=False, so the Service stops sending them traffic.",
        ),
        { node: name, seconds: seconds(event.time - downAt) },
      );
    }
    case "NodeReady":
      return format(gettext("%(node)s posts status again: the node controller marks it Ready."), { node: name });
    case "TaintManagerEviction": {
      const node = context.nodeOf(name);
      const taintedAt = node ? context.nodeNotReadyBefore(node, event.time) : null;
      if (taintedAt === null) {
        return format(
          gettext(
            "%(pod)s is evicted: its node has been unreachable longer than the pod tolerates (tolerationSeconds). The pod is marked for deletion and its ReplicaSet replaces it.",
          ),
          { pod: name },
        );
      }
      return format(
        gettext(
          "%(pod)s tolerated the taint node.kubernetes.io/unreachable on %(node)s for %(seconds)s s (tolerationSeconds); now it is evicted. The pod is marked for deletion and its ReplicaSet replaces it.",
        ),
        { pod: name, node, seconds: seconds(event.time - taintedAt) },
      );
    }
    case "Killing": {
      const probe = /failed (liveness|startup) probe/.exec(event.message ?? "");
      if (!probe) {
        return format(gettext("The kubelet stops the containers of %(pod)s."), { pod: name });
      }
      const threshold = context.failureThreshold(name, probe[1], event.time);
      return format(
        gettext(
          "The %(probe)s probe of %(pod)s failed %(threshold)s times in a row (failureThreshold): the kubelet kills the container and starts it again in place. The pod is not recreated; RESTARTS goes up.",
        ),
        { probe: probe[1], pod: name, threshold: threshold ?? "failureThreshold" },
      );
    }
    case "SuccessfulCreate": {
      const created = /Created pod: (\S+)/.exec(event.message ?? "");
      return format(
        gettext(
          "The ReplicaSet creates %(pod)s to get back to the desired number of replicas. Auto-healing makes a new pod; it does not move the old one.",
        ),
        { pod: created ? created[1] : name },
      );
    }
    case "Started":
      return format(
        gettext(
          "The kubelet starts the container of %(pod)s again: restart %(restarts)s. After a crash it waits longer before each restart (10 s, 20 s, 40 s … up to 5 min): CrashLoopBackOff.",
        ),
        { pod: name, restarts: (event.count ?? 2) - 1 },
      );
    default:
      return event.message ?? event.reason;
  }
}
