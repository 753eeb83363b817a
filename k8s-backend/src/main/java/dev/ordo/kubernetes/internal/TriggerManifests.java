package dev.ordo.kubernetes.internal;

import dev.ordo.CatchUp;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.OrdoException;
import dev.ordo.Overlap;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A plan's triggers as Kubernetes objects: a cron trigger becomes a {@code CronJob} (overlap SKIP → {@code Forbid},
 * REPLACE → {@code Replace}, ALLOW → {@code Allow}, each with a starting deadline of 30 s); a manual trigger a suspended CronJob that serves as the template
 * of {@code kubectl create job --from=cronjob/NAME}; a trigger that fires at start also a {@code Job} (named
 * {@code <trigger>-at-start-<hash of its template>}) that runs
 * once when the manifests are applied. The run's pipeline is one pod: its steps run in order as init containers
 * (each must exit 0, as Kubernetes runs them), the last step as the main container, after waiters for the services
 * the steps need. What a CronJob cannot express is refused, every trigger and reason named at once, unless the
 * trigger is left to Ordo's living handle.
 *
 * <pre>{@code
 * List<HasMetadata> objects = TriggerManifests.objects(plan, null, Waiters.DEFAULT_IMAGE, Set.of());
 * }</pre>
 */
public final class TriggerManifests {
    /** Kubernetes appends 11 characters to a CronJob's name for its Jobs, and names are at most 63. */
    static final int MAX_CRONJOB_NAME = 52;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /**
     * How late a CronJob may start a fire: a fire that could not start by then is dropped, as Ordo drops a skipped
     * fire ({@code Forbid} alone runs it when the previous Job ends), and after controller downtime at most this
     * window's missed schedules count (more than 100 stop a CronJob). The controller checks about every 10 s.
     */
    static final long STARTING_DEADLINE_SECONDS = 30;
    /** A schedule that a suspended CronJob never needs; it only has to be valid. */
    private static final String NEVER = "0 0 1 1 *";

    private TriggerManifests() {
    }

    /** Whether the plan's triggers need the waiters' ServiceAccount (some pipeline waits for a service). */
    static boolean needWaiters(Plan plan, Set<String> leftToOrdo) {
        return plan.triggers().stream().filter(t -> !leftToOrdo.contains(t.name()))
                .anyMatch(t -> !serviceEdges(plan, plan.pipeline(t.name())).isEmpty());
    }

    /**
     * The objects of every trigger not in {@code leftToOrdo}.
     *
     * @throws OrdoException naming every trigger Kubernetes cannot run, with the reason and the way out
     */
    public static List<HasMetadata> objects(Plan plan, String namespace, String waitImage, Set<String> leftToOrdo) {
        List<String> problems = new ArrayList<>();
        for (Trigger t : plan.triggers()) {
            if (!leftToOrdo.contains(t.name())) {
                problems(plan, t).forEach(p -> problems.add("trigger '" + t.name() + "' " + p));
            }
        }
        if (!problems.isEmpty()) {
            throw new OrdoException("cannot export " + problems.size() + " trigger problem(s) to Kubernetes:\n  "
                    + String.join("\n  ", problems) + "\nrun those triggers with Ordo's living handle"
                    + " (Orchestrator.start on the kubernetes backend) and leave them out of the export with"
                    + " KubernetesManifests.leaveToOrdo(...)");
        }
        Deployment d = plan.deployment();
        List<HasMetadata> out = new ArrayList<>();
        for (Trigger t : plan.triggers()) {
            if (leftToOrdo.contains(t.name())) {
                continue;
            }
            JobSpec spec = jobSpec(plan, t, namespace, waitImage);
            Map<String, String> labels = new LinkedHashMap<>(K8sNames.sharedLabels(d.name()));
            labels.put("app.kubernetes.io/name", t.name());
            var meta = new ObjectMetaBuilder().withName(t.name())
                    .withNamespace(namespace).withLabels(labels).build();
            if (t.atStart()) {
                // named by its template's hash, as a node's Job: Kubernetes never changes a Job's template, so a
                // changed pipeline is a new Job that runs on apply, and an unchanged one is left as it ran
                var once = new ObjectMetaBuilder(meta)
                        .withName(shorten(t.name() + "-at-start", 54) + "-"
                                + ManifestRenderer.sha256(Serialization.asJson(spec.getTemplate())).substring(0, 8))
                        .build();
                out.add(new JobBuilder().withMetadata(once).withSpec(spec).build());
            }
            boolean manual = t.kind() == Trigger.Kind.MANUAL;
            if (manual && t.atStart()) {
                continue; // an initial load: the Job above is all of it
            }
            out.add(new CronJobBuilder().withMetadata(meta).withNewSpec()
                    .withSchedule(manual ? NEVER : cronOf(t))
                    .withSuspend(manual ? true : null)
                    .withTimeZone(manual ? null : timeZone(t.zone()))
                    .withConcurrencyPolicy(policy(t.overlap()))
                    .withStartingDeadlineSeconds(manual ? null : startingDeadline(t.catchUp()))
                    .withNewJobTemplate().withNewMetadata().withLabels(labels).endMetadata()
                    .withSpec(spec).endJobTemplate()
                    .endSpec().build());
        }
        return out;
    }

    private static List<String> problems(Plan plan, Trigger t) {
        List<String> p = new ArrayList<>();
        if (t.name().length() > MAX_CRONJOB_NAME || !DNS_LABEL.matcher(t.name()).matches()) {
            p.add("has a name a CronJob cannot take (lower-case letters, digits and '-', at most "
                    + MAX_CRONJOB_NAME + " characters); rename it");
        }
        if (t.kind() == Trigger.Kind.INTERVAL && cronOf(t) == null) {
            p.add("fires every " + t.every().orElseThrow() + ", which no cron schedule expresses (use whole"
                    + " minutes dividing an hour or whole hours dividing a day, or a cron trigger)");
        }
        if (t.kind() == Trigger.Kind.CRON && timeZone(t.zone()) == null) {
            p.add("reads its schedule in zone " + t.zone() + ", which is not a time-zone name a CronJob accepts"
                    + " (use a region such as Europe/Berlin, or UTC)");
        }
        if (t.overlap() == Overlap.QUEUE) {
            p.add("queues overlapping runs, which a CronJob cannot (it can forbid, replace or allow them)");
        }

        t.concurrencyKey().ifPresent(k -> p.add("has concurrency key '" + k + "', which no CronJob can share with"
                + " another"));
        List<Job> steps = plan.pipeline(t.name());
        for (Job step : steps) {
            t.envOf(step.name()).forEach((k, v) -> {
                if (v.constantValue().isEmpty()) {
                    p.add("sets " + k + " of step '" + step.name() + "' to " + v + ", computed at each fire, which"
                            + " a CronJob cannot compute");
                }
            });
        }
        for (int i = 0; i < steps.size(); i++) {
            Job step = steps.get(i);
            for (Dependency dep : step.dependencies()) {
                boolean isStep = steps.stream().anyMatch(s -> s.name().equals(dep.target()));
                if (isStep && (i == 0 || !dep.target().equals(steps.get(i - 1).name())
                        || dep.condition() != Condition.COMPLETED_SUCCESSFULLY)) {
                    p.add("runs a pipeline that is not a chain of completed steps (step '" + step.name() + "' needs '"
                            + dep.target() + "' " + dep.condition() + "); a pod runs its init containers one after"
                            + " another, each to exit 0");
                }
            }
        }
        return p;
    }

    private static JobSpec jobSpec(Plan plan, Trigger t, String namespace, String waitImage) {
        Deployment d = plan.deployment();
        List<Job> steps = plan.pipeline(t.name());
        List<Container> init = new ArrayList<>();
        List<Container> waiters = new ArrayList<>();
        serviceEdges(plan, steps).forEach((target, condition) -> waiters.add(Waiters.waitFor(d.name(),
                plan.node(target).orElseThrow(), condition, waitImage)));
        Map<String, Volume> volumes = new LinkedHashMap<>();
        Container last = null;
        JobSpec lastSpec = null;
        for (Job step : steps) {
            var workload = (io.fabric8.kubernetes.api.model.batch.v1.Job) ObjectFactory.workload(d, step, namespace,
                    "export");
            PodSpec spec = workload.getSpec().getTemplate().getSpec();
            Container c = spec.getContainers().get(0);
            c.setName(K8sNames.objectName(step.name()));
            List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
            t.envOf(step.name()).forEach((k, v) -> {
                env.removeIf(e -> e.getName().equals(k));
                env.add(new EnvVar(k, v.constantValue().orElseThrow(), null));
            });
            c.setEnv(env);
            mergeVolumes(spec, c, volumes);
            if (last != null) {
                init.add(withoutProbes(last));
            }
            last = c;
            lastSpec = workload.getSpec();
        }
        PodSpec pod = lastSpec.getTemplate().getSpec();
        pod.setContainers(List.of(last));
        pod.setInitContainers(init);
        pod.setVolumes(new ArrayList<>(volumes.values()));
        Waiters.attach(pod, waiters, d.name());
        // One pod runs the whole pipeline: its retries and deadline are the target's.
        return lastSpec;
    }

    /**
     * Adds a step's volumes to the pod's, one volume per source: every step numbers its own from {@code mount-0} and
     * {@code secret-0}, so merged by name a later step would mount an earlier step's claim, host path or secret. A
     * source already in the pod is shared; a name already taken by another source gets a suffix; the step's
     * container mounts follow.
     */
    private static void mergeVolumes(PodSpec step, Container c, Map<String, Volume> volumes) {
        if (step.getVolumes() == null) {
            return;
        }
        Map<String, String> renamed = new LinkedHashMap<>();
        for (Volume v : step.getVolumes()) {
            String source = Serialization.asJson(
                    new VolumeBuilder(v).withName(null).build());
            String name = volumes.entrySet().stream().filter(e -> Serialization
                    .asJson(new VolumeBuilder(e.getValue()).withName(null).build())
                    .equals(source)).map(Map.Entry::getKey).findFirst().orElse(null);
            if (name == null) {
                name = v.getName();
                for (int k = 2; volumes.containsKey(name); k++) {
                    name = v.getName() + "-" + k;
                }
                volumes.put(name, new VolumeBuilder(v).withName(name).build());
            }
            renamed.put(v.getName(), name);
        }
        if (c.getVolumeMounts() != null) {
            c.getVolumeMounts().forEach(m -> m.setName(renamed.getOrDefault(m.getName(), m.getName())));
        }
    }

    /**
     * A step that runs before the last as an init container: Kubernetes refuses probes and lifecycle hooks on init
     * containers ({@code validateInitContainers}, pkg/apis/core/validation/validation.go), so they are left out and
     * the export warns ({@link ExportWarnings}).
     */
    private static Container withoutProbes(Container c) {
        c.setReadinessProbe(null);
        c.setStartupProbe(null);
        c.setLivenessProbe(null);
        c.setLifecycle(null);
        return c;
    }

    /** The steps of a trigger's pipeline that run as init containers (all but the last). */
    static List<Job> initSteps(Plan plan, Trigger t) {
        List<Job> steps = plan.pipeline(t.name());
        return steps.isEmpty() ? List.of() : steps.subList(0, steps.size() - 1);
    }

    /** The services (and start-up jobs) the steps need, with the condition, in plan order. */
    private static Map<String, Condition> serviceEdges(Plan plan, List<Job> steps) {
        Set<String> names = new HashSet<>();
        steps.forEach(s -> names.add(s.name()));
        Map<String, Condition> out = new LinkedHashMap<>();
        for (Job step : steps) {
            for (Dependency dep : step.dependencies()) {
                if (!names.contains(dep.target()) && plan.contains(dep.target())) {
                    out.putIfAbsent(dep.target(), dep.condition());
                }
            }
        }
        return out;
    }

    private static String cronOf(Trigger t) {
        if (t.kind() == Trigger.Kind.CRON) {
            return t.cron().orElseThrow();
        }
        Duration every = t.every().orElseThrow();
        long minutes = every.toMinutes();
        if (every.equals(Duration.ofMinutes(minutes)) && minutes > 0 && minutes < 60 && 60 % minutes == 0) {
            return "*/" + minutes + " * * * *";
        }
        long hours = every.toHours();
        if (every.equals(Duration.ofHours(hours)) && hours > 0 && hours <= 24 && 24 % hours == 0) {
            return "0 */" + hours + " * * *";
        }
        return null;
    }

    private static String timeZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC) || zone.getId().equals("UTC") || zone.getId().equals("Etc/UTC")) {
            return "Etc/UTC";
        }
        return zone instanceof ZoneOffset ? null : zone.getId();
    }

    /**
     * The CronJob's {@code startingDeadlineSeconds} for a catch-up policy: SKIP drops a fire not started within
     * {@value #STARTING_DEADLINE_SECONDS} s, as Ordo drops it; WITHIN starts the latest missed fire within the
     * window; LATEST leaves it unset, so the controller starts the latest missed fire whenever it was due.
     */
    private static Long startingDeadline(CatchUp c) {
        return switch (c.policy()) {
            case SKIP -> STARTING_DEADLINE_SECONDS;
            case WITHIN -> Math.max(STARTING_DEADLINE_SECONDS, c.window().toSeconds());
            case LATEST -> null;
        };
    }

    private static String policy(Overlap overlap) {
        return switch (overlap) {
            case SKIP -> "Forbid";
            case REPLACE -> "Replace";
            case ALLOW -> "Allow";
            case QUEUE -> throw new IllegalStateException("refused before");
        };
    }

    private static String shorten(String name, int max) {
        return name.length() <= max ? name : name.substring(0, max).replaceAll("-+$", "");
    }
}
