package dev.ordo.kubernetes.internal;

import dev.ordo.CatchUp;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.Pool;
import dev.ordo.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the exported manifests cannot do the way Ordo does, said once per node or pool rather than dropped silently:
 * a log-line health check (Kubernetes has no probe for it, so dependents wait only for the pod to run), a pool (no
 * Kubernetes equivalent: its members start together), a job's active deadline (Kubernetes counts it from the Job's
 * creation, so it includes the wait for the job's dependencies), a volume several nodes share (a plain claim, which
 * {@code kubectl delete -f} deletes), an external volume (its claim must exist). The backend does all of it as core
 * says. The warnings the backend logs too ({@link KubernetesRules#warnings}: names mapped, host names that no
 * longer resolve, networks, builds) come first.
 *
 * <pre>{@code
 * ExportWarnings.of(plan).forEach(w -> yaml.append("# WARNING: ").append(w).append('\n'));
 * }</pre>
 */
public final class ExportWarnings {
    private ExportWarnings() {
    }

    public static List<String> of(Plan plan) {
        // what the backend logs at prepare comes first: the names mapped, the settings done differently
        List<String> out = new ArrayList<>(KubernetesRules.warnings(plan.deployment(), plan.nodes()));
        for (Node n : plan.nodes()) {
            boolean groupSecret = n.container().secrets().stream().anyMatch(r -> !r.isEnvironment() && r.gid() != 0);
            boolean volumes = n.container().mounts().stream().anyMatch(m -> m.type() == Mount.Type.VOLUME);
            if (groupSecret && volumes) {
                out.add(n.kind().label() + " '" + n.name() + "' reads a secret as a group, which becomes its pod's"
                        + " fsGroup: Kubernetes then gives that group its volumes too (fsGroupChangePolicy"
                        + " OnRootMismatch: when a volume's root does not match); a server that refuses group access"
                        + " to its data directory (PostgreSQL) needs it one directory down (PGDATA=<mount>/pgdata)");
            }
            if (n.container().healthCheck().map(h -> h.probe() instanceof HealthCheck.LogLine).orElse(false)) {
                out.add(n.kind().label() + " '" + n.name() + "' is healthy when its log prints a line, which Kubernetes"
                        + " cannot probe: in these manifests it counts as healthy once its pods are ready (give it an"
                        + " http, tcp or command check to export it faithfully)");
            }
            if (n instanceof Job j && j.activeDeadline().isPresent() && !n.dependencies().isEmpty()) {
                out.add("job '" + n.name() + "' has an active deadline of " + j.activeDeadline().get().toSeconds()
                        + " s, which Kubernetes counts from the Job's creation, so it includes the wait for its"
                        + " dependencies (Ordo counts it from the job's start)");
            }
        }
        for (Trigger t : plan.triggers()) {
            if (t.kind() != Trigger.Kind.MANUAL && t.catchUp().policy() != CatchUp.Policy.SKIP) {
                out.add("trigger '" + t.name() + "' catches up on missed fires (" + t.catchUp().policy() + "), which"
                        + " the CronJob controller does its own way: after a gap it starts the latest missed fire"
                        + " only, if it is within startingDeadlineSeconds" + (t.catchUp().policy()
                        == CatchUp.Policy.LATEST ? " (unset here) and fewer than 100 were missed"
                        : " (the catch-up window here)"));
            }
            List<Job> steps = plan.pipeline(t.name());
            Job last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            for (Job step : TriggerManifests.initSteps(plan, t)) {
                if (step.backoffLimit() != last.backoffLimit() || !step.activeDeadline().equals(last.activeDeadline())
                        || !step.container().scheduling().equals(last.container().scheduling())) {
                    out.add("trigger '" + t.name() + "' runs its steps in one pod, which takes retries, deadline,"
                            + " node selector and tolerations from its last step '" + last.name() + "'; step '"
                            + step.name() + "' asks for others, which these manifests do not keep");
                }
            }
            for (Job step : TriggerManifests.initSteps(plan, t)) {
                List<String> lost = new ArrayList<>();
                step.container().healthCheck().ifPresent(h -> lost.add("health check"));
                step.container().liveness().ifPresent(h -> lost.add("liveness check"));
                if (!lost.isEmpty()) {
                    out.add("step '" + step.name() + "' of trigger '" + t.name() + "' runs as an init container of"
                            + " the trigger's pod, which Kubernetes runs without probes: its " + String.join(" and ",
                            lost) + " is not exported (a step is done when it exits 0)");
                }
            }
        }
        Deployment d = plan.deployment();
        for (String volume : Claims.sharedVolumes(d)) {
            String claim = K8sNames.claimName(d, volume);
            if (d.volume(volume).external()) {
                out.add("volume '" + volume + "' is external: these manifests mount the PersistentVolumeClaim '" + claim
                        + "' and do not create it, so it must exist in the namespace they are applied to");
                continue;
            }
            String why = d.volume(volume).platformName().isEmpty() ? "is mounted by " + Claims.users(d, volume)
                    : "is named '" + d.volume(volume).platformName() + "' on the platform";
            out.add("volume '" + volume + "' " + why + ", so it is one plain claim ('" + claim
                    + "'), not a StatefulSet's own: kubectl delete -f of these"
                    + " manifests deletes it with its data (helm uninstall keeps it); delete the other objects by"
                    + " name, or give each node a volume of its own. " + (d.volume(volume).manyNodes()
                    ? "The claim is ReadWriteMany: its StorageClass must offer that access mode, or the claim stays"
                    + " Pending" : "The claim is ReadWriteOnce, so all its pods must land on one cluster node"
                    + " (others fail with a Multi-Attach error): pin them with a node selector, or declare the"
                    + " volume Volume.of(\"" + volume + "\").readWriteMany() on a StorageClass that offers it"));
        }
        // the steps of triggers are members too: AlphaKraken's pools hold on-demand steps only
        Set<Node> all = new LinkedHashSet<>(plan.nodes());
        plan.triggers().forEach(t -> all.addAll(plan.pipeline(t.name())));
        for (Pool p : plan.deployment().pools().values()) {
            List<String> members = all.stream().filter(n -> n.pool().filter(p.name()::equals).isPresent())
                    .map(Node::name).distinct().toList();
            if (!members.isEmpty()) {
                out.add("pool '" + p.name() + "' (" + p.slots() + " slot" + (p.slots() == 1 ? "" : "s") + ") limits "
                        + members + " under Ordo; Kubernetes has no equivalent, so in these manifests they start as"
                        + " soon as their dependencies allow");
            }
        }
        return out;
    }
}
