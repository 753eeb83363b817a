package dev.ordo.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the parts of a cluster that the mock API server lacks: the controllers and kubelets. When a Deployment,
 * StatefulSet or Job appears it creates the pods, marks them running, then ready (or failed) after the node's
 * scripted delay, and writes the workload's status; when a workload is deleted or scaled to zero it deletes the
 * pods, as the garbage collector would. CronJobs are left alone. It records what it saw, with times, so that tests
 * can check ordering from the cluster's side rather than from Ordo's report.
 */
final class TestKubelet implements AutoCloseable {
    /** What the kubelet does with one node's pods. */
    record Script(Duration runAfter, Duration readyAfter, int exitCode, List<String> log, boolean imagePullFails,
            Mode mode, Duration exitAfter, List<Integer> codes) {
        Script(Duration runAfter, Duration readyAfter, int exitCode, List<String> log, boolean imagePullFails) {
            this(runAfter, readyAfter, exitCode, log, imagePullFails, Mode.NORMAL);
        }

        Script(Duration runAfter, Duration readyAfter, int exitCode, List<String> log, boolean imagePullFails,
               Mode mode) {
            this(runAfter, readyAfter, exitCode, log, imagePullFails, mode, null, List.of(exitCode));
        }

        /** The exit code of a job's attempt {@code n} (from 1), the last code repeating. */
        int code(int n) {
            return codes.get(Math.min(Math.max(n, 1), codes.size()) - 1);
        }
    }

    /** Ways a service's pods can go wrong. */
    enum Mode {
        NORMAL,
        /** The ReplicaSet cannot create pods: the Deployment gets condition ReplicaFailure. */
        QUOTA_EXCEEDED,
        /** The container keeps exiting: CrashLoopBackOff with the last exit code. */
        CRASH_LOOP,
        /** Pods run but never become ready; their log is served for log-line checks. */
        LOG_ONLY,
        /** Pods run, never become ready. */
        NEVER_READY,
        /** The container exits with a code after a delay and the kubelet restarts it, again and again. */
        CRASH_CYCLE
    }

    /** Something the kubelet saw or did. */
    record Record(Instant at, String what, String node) {
    }

    private static final Script DEFAULT = new Script(Duration.ofMillis(20), Duration.ofMillis(60), 0, List.of(),
            false);

    private final KubernetesClient client;
    private final KubernetesMockServer server;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger podCounter = new AtomicInteger();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    TestKubelet(KubernetesClient client, KubernetesMockServer server) {
        this.client = client;
        this.server = server;
        informers.add(client.apps().deployments().inAnyNamespace().inform(handler()));
        informers.add(client.apps().statefulSets().inAnyNamespace().inform(handler()));
        informers.add(client.batch().v1().jobs().inAnyNamespace().inform(handler()));
    }

    TestKubelet readyAfter(String node, Duration d) {
        scripts.put(node, new Script(DEFAULT.runAfter(), d, 0, List.of(), false));
        return this;
    }

    TestKubelet exitsAfter(String node, Duration d, int code, String... log) {
        scripts.put(node, new Script(DEFAULT.runAfter(), d, code, List.of(log), false));
        return this;
    }

    TestKubelet quotaExceeded(String node) {
        scripts.put(node, new Script(DEFAULT.runAfter(), DEFAULT.readyAfter(), 0, List.of(), false,
                Mode.QUOTA_EXCEEDED));
        return this;
    }

    TestKubelet crashLoops(String node, int exitCode, String... log) {
        scripts.put(node, new Script(DEFAULT.runAfter(), DEFAULT.readyAfter(), exitCode, List.of(log), false,
                Mode.CRASH_LOOP));
        return this;
    }

    /** Pods run and print {@code log}; readiness is left to whoever reads the log. */
    TestKubelet logs(String node, String... log) {
        scripts.put(node, new Script(DEFAULT.runAfter(), DEFAULT.readyAfter(), 0, List.of(log), false,
                Mode.LOG_ONLY));
        return this;
    }

    /**
     * {@code node} behaves as a contract script says: ready after {@code readyAfter} (never when not {@code passes});
     * with {@code exitAfter}, a service's container exits with the first code and is restarted, a job's attempt
     * exits with its own code; {@code log} is the pods' log.
     */
    TestKubelet script(String node, Duration readyAfter, boolean passes, Duration exitAfter, List<Integer> codes,
                       List<String> log) {
        Mode mode = exitAfter != null ? Mode.CRASH_CYCLE : passes ? Mode.NORMAL : Mode.NEVER_READY;
        scripts.put(node, new Script(DEFAULT.runAfter(), readyAfter, codes.get(0), log, false, mode, exitAfter,
                codes));
        return this;
    }

    /** Pods of {@code node} that cannot start for a reason other than the image: {kind, reason, message}. */
    private final Map<String, String[]> podTrouble = new ConcurrentHashMap<>();

    /** {@code node}'s container waits with {@code reason} (e.g. CreateContainerConfigError for a missing Secret). */
    TestKubelet containerWaits(String node, String reason, String message) {
        podTrouble.put(node, new String[] {"waiting", reason, message});
        return imagePullFails(node);
    }

    /** {@code node}'s pods stay Pending: the scheduler finds no node for them (PodScheduled False, Unschedulable). */
    TestKubelet unschedulable(String node, String message) {
        podTrouble.put(node, new String[] {"unschedulable", "Unschedulable", message});
        return imagePullFails(node);
    }

    /** When {@code node}'s liveness probe starts failing in its containers' first life. */
    private final Map<String, Duration> livenessFailures = new ConcurrentHashMap<>();

    /**
     * {@code node}'s liveness probe fails from {@code after} its first start: once its threshold is reached, the
     * kubelet records an Unhealthy event, kills the container and starts it again, where the probe passes.
     */
    TestKubelet livenessFailsAfter(String node, Duration after) {
        livenessFailures.put(node, after);
        return this;
    }

    TestKubelet imagePullFails(String node) {
        scripts.put(node, new Script(DEFAULT.runAfter(), DEFAULT.readyAfter(), 0, List.of(), true));
        return this;
    }

    List<Record> records() {
        return List.copyOf(records);
    }

    /** When the kubelet first saw {@code what} happen to {@code node}. */
    Optional<Instant> first(String what, String node) {
        return records.stream().filter(r -> r.what().equals(what) && r.node().equals(node)).map(Record::at)
                .findFirst();
    }

    long count(String what, String node) {
        return records.stream().filter(r -> r.what().equals(what) && r.node().equals(node)).count();
    }

    long count(String what) {
        return records.stream().filter(r -> r.what().equals(what)).count();
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                record("created", obj);
                reconcile(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (!replicasOf(oldObj).equals(replicasOf(newObj)) || suspended(oldObj) != suspended(newObj)) {
                    record("scaled", newObj);
                    reconcile(newObj);
                }
            }

            @Override
            public void onDelete(T obj, boolean unknown) {
                record("deleted", obj);
                timer.execute(() -> safely(() -> deletePods(obj), obj));
            }
        };
    }

    private void record(String what, HasMetadata o) {
        records.add(new Record(Instant.now(), what, o.getMetadata().getName()));
    }

    private void reconcile(HasMetadata w) {
        // A triggered run's workload is named after its node and run (extract-r1); scripts are by node.
        String scripted = java.util.Optional.ofNullable(w.getMetadata().getLabels())
                .map(l -> l.get("app.kubernetes.io/name")).orElse(w.getMetadata().getName());
        Script s = scripts.getOrDefault(scripted, DEFAULT);
        int replicas = replicasOf(w).orElse(1);
        if (suspended(w) || replicas == 0) {
            timer.execute(() -> safely(() -> {
                deletePods(w);
                if (!(w instanceof Job)) {
                    setReady(w, 0);
                }
            }, w));
            return;
        }
        timer.schedule(() -> runPods(w, s, replicas), s.runAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runPods(HasMetadata w, Script s, int replicas) {
        try {
            String ns = w.getMetadata().getNamespace();
            String node = w.getMetadata().getName();
            if (get(w) == null) {
                return;
            }
            if (s.mode() == Mode.QUOTA_EXCEEDED) {
                client.apps().deployments().inNamespace(ns).withName(node).editStatus(d -> {
                    d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                            .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
                            .withMessage("pods \"" + node + "-x\" is forbidden: exceeded quota: compute, requested: "
                                    + "pods=1, used: pods=10, limited: pods=10")
                            .endCondition().build());
                    return d;
                });
                return;
            }
            if (w instanceof StatefulSet sts && sts.getSpec().getVolumeClaimTemplates() != null) {
                // the StatefulSet controller's part: one claim per template and ordinal, kept when the set goes
                for (var t : sts.getSpec().getVolumeClaimTemplates()) {
                    for (int i = 0; i < replicas; i++) {
                        String claim = t.getMetadata().getName() + "-" + node + "-" + i;
                        if (client.persistentVolumeClaims().inNamespace(ns).withName(claim).get() == null) {
                            client.persistentVolumeClaims().inNamespace(ns).resource(
                                    new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(t)
                                            .editMetadata().withName(claim).withNamespace(ns).endMetadata().build())
                                    .create();
                        }
                    }
                }
            }
            List<String> pods = new ArrayList<>();
            boolean pending = false;
            for (int i = 0; i < replicas; i++) {
                Pod pod = createPod(w, s);
                pods.add(pod.getMetadata().getName());
                pending |= "Pending".equals(pod.getStatus().getPhase());
            }
            if (s.imagePullFails()) {
                records.add(new Record(Instant.now(), "pull-failed", node));
                return;
            }
            if (pending) {
                records.add(new Record(Instant.now(), "unschedulable", node));
                return;
            }
            records.add(new Record(Instant.now(), "running", node));
            for (String p : pods) {
                serveLog(ns, p, s.log());
            }
            if (s.mode() == Mode.NEVER_READY) {
                return;
            }
            if (s.mode() == Mode.CRASH_CYCLE && !(w instanceof Job)) {
                for (String p : pods) {
                    crashCycle(w, s, ns, p);
                }
                return;
            }
            if (s.mode() == Mode.LOG_ONLY) {
                for (String p : pods) {
                    serve("/api/v1/namespaces/" + ns + "/pods/" + p
                            + "/log?pretty=false&tailLines=1000", String.join("\n", s.log()) + "\n");
                }
                return;
            }
            if (s.mode() == Mode.CRASH_LOOP) {
                serve("/api/v1/namespaces/" + ns + "/pods/" + pods.get(0)
                        + "/log?pretty=false&tailLines=49", String.join("\n", s.log()) + "\n");
                timer.schedule(() -> safely(() -> client.pods().inNamespace(ns).withName(pods.get(0))
                        .editStatus(p -> {
                            p.getStatus().getContainerStatuses().forEach(c -> {
                                c.setRestartCount(1);
                                c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                                        .withNewWaiting().withReason("CrashLoopBackOff").endWaiting().build());
                                c.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                                        .withNewTerminated().withExitCode(s.exitCode()).endTerminated().build());
                            });
                            p.getStatus().setPhase("Running");
                            return p;
                        }), w), s.readyAfter().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            if (w instanceof Job) {
                client.batch().v1().jobs().inNamespace(ns).withName(node).editStatus(j -> {
                    if (j.getStatus() == null) {
                        j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
                    }
                    j.getStatus().setActive(1);
                    return j;
                });
                Duration runFor = s.exitAfter() != null ? s.exitAfter() : s.readyAfter();
                int attempt = (int) count("created", node);
                timer.schedule(() -> safely(() -> finishJob(w, s, pods.get(0), s.code(attempt)), w),
                        runFor.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                timer.schedule(() -> safely(() -> {
                    // Recorded before the status is written: whoever reacts to the write sees it after this instant.
                    records.add(new Record(Instant.now(), "ready", node));
                    for (String p : pods) {
                        markReady(ns, p);
                    }
                    setReady(w, replicas);
                }, w), s.readyAfter().toMillis(), TimeUnit.MILLISECONDS);
                Duration wedged = livenessFailures.get(node);
                var probe = dev.ordo.kubernetes.internal.ObjectFactory.podTemplate(w).getSpec().getContainers().get(0).getLivenessProbe();
                if (wedged != null && probe != null) {
                    long delay = Math.max(wedged.toMillis(), probe.getInitialDelaySeconds() == null ? 0
                            : probe.getInitialDelaySeconds() * 1000L)
                            + (long) probe.getFailureThreshold() * probe.getPeriodSeconds() * 1000L;
                    for (String p : pods) {
                        timer.schedule(() -> safely(() -> livenessKill(w, s, ns, p, replicas), w), delay,
                                TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (RuntimeException e) {
            // A workload deleted while its pods were being made; the kubelet simply gives up on it.
            kubeletError(e, w);
        }
    }

    private Pod createPod(HasMetadata w, Script s) {
        PodTemplateSpec t = template(w);
        String ns = w.getMetadata().getNamespace();
        String name = w.getMetadata().getName() + "-" + podCounter.incrementAndGet();
        String image = t.getSpec().getContainers().get(0).getImage();
        var status = new ContainerStatusBuilder().withName(t.getSpec().getContainers().get(0).getName())
                .withImage(image).withReady(false);
        String[] trouble = podTrouble.get(java.util.Optional.ofNullable(t.getMetadata().getLabels())
                .map(l -> l.get("app.kubernetes.io/name")).orElse(""));
        if (trouble == null) {
            trouble = missingClaim(ns, t).orElse(null);
        }
        if (trouble != null && trouble[0].equals("waiting")) {
            status.withNewState().withNewWaiting().withReason(trouble[1]).withMessage(trouble[2]).endWaiting()
                    .endState();
        } else if (trouble != null) {
            Pod pending = new PodBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).withLabels(t.getMetadata().getLabels())
                    .endMetadata().withSpec(t.getSpec())
                    .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                    .withStatus("False").withReason(trouble[1]).withMessage(trouble[2]).endCondition().endStatus()
                    .build();
            return client.pods().inNamespace(ns).resource(pending).create();
        } else if (s.imagePullFails()) {
            status.withNewState().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState();
        } else {
            status.withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState();
        }
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withLabels(t.getMetadata().getLabels())
                .withAnnotations(t.getMetadata().getAnnotations())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(w.getApiVersion())
                        .withKind(w.getKind()).withName(w.getMetadata().getName()).withUid(w.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(t.getSpec())
                .withNewStatus().withPhase(s.imagePullFails() ? "Pending" : "Running")
                .withContainerStatuses(status.build()).endStatus()
                .build();
        return client.pods().inNamespace(ns).resource(pod).create();
    }

    /**
     * The scheduler's part: a pod that mounts a claim the namespace lacks (an external volume nobody created) is
     * not scheduled, as on a real cluster, so a pod that mounts the wrong claim never runs here either.
     */
    private Optional<String[]> missingClaim(String ns, PodTemplateSpec t) {
        for (var v : t.getSpec().getVolumes() == null ? List.<io.fabric8.kubernetes.api.model.Volume>of()
                : t.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() != null) {
                String claim = v.getPersistentVolumeClaim().getClaimName();
                if (client.persistentVolumeClaims().inNamespace(ns).withName(claim).get() == null) {
                    return Optional.of(new String[] {"unschedulable", "Unschedulable",
                            "0/1 nodes are available: persistentvolumeclaim \"" + claim + "\" not found."});
                }
            }
        }
        return Optional.empty();
    }

    private void markReady(String ns, String pod) {
        client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
            p.getStatus().getConditions().add(new PodConditionBuilder().withType("Ready").withStatus("True")
                    .withLastTransitionTime(Instant.now().toString()).build());
            p.getStatus().getContainerStatuses().forEach(c -> c.setReady(true));
            return p;
        });
    }

    private void finishJob(HasMetadata w, Script s, String pod, int exitCode) {
        String ns = w.getMetadata().getNamespace();
        String node = w.getMetadata().getName();
        if (get(w) == null) {
            return;
        }
        boolean ok = exitCode == 0;
        if (!s.log().isEmpty()) {
            serve("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?pretty=false&tailLines=49", String.join("\n", s.log()) + "\n");
        }
        client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
            p.getStatus().setPhase(ok ? "Succeeded" : "Failed");
            p.getStatus().getContainerStatuses().forEach(c -> c.setState(new io.fabric8.kubernetes.api.model
                    .ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                    .withReason(ok ? "Completed" : "Error").endTerminated().build()));
            return p;
        });
        // Recorded before the status is written: whoever reacts to the write sees it after this instant.
        records.add(new Record(Instant.now(), ok ? "completed" : "failed", node));
        client.batch().v1().jobs().inNamespace(ns).withName(node).editStatus(j -> {
            j.getStatus().setActive(0);
            if (ok) {
                j.getStatus().setSucceeded(1);
                j.getStatus().getConditions().add(new JobConditionBuilder().withType("Complete").withStatus("True")
                        .build());
            } else {
                j.getStatus().setFailed(1);
                j.getStatus().getConditions().add(new JobConditionBuilder().withType("Failed").withStatus("True")
                        .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                        .build());
            }
            return j;
        });
    }

    /** Serves {@code log} as the pod's log, for the reads Ordo makes (its tail at an exit; a log-line check). */
    private void serveLog(String ns, String pod, List<String> log) {
        String body = log.isEmpty() ? "" : String.join("\n", log) + "\n";
        for (int lines : new int[] {49, 50, 1000}) {
            serve("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?pretty=false&tailLines="
                    + lines, body);
        }
    }

    /** The kubelet's liveness kill: an Unhealthy event, the container terminated (137), then running again. */
    private void livenessKill(HasMetadata w, Script s, String ns, String pod, int replicas) {
        if (get(w) == null || client.pods().inNamespace(ns).withName(pod).get() == null) {
            return;
        }
        client.v1().events().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName(pod + ".liveness").withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(ns).endInvolvedObject()
                .withReason("Unhealthy").withType("Warning")
                .withMessage("Liveness probe failed: test: /tmp/wedged exists").build()).create();
        client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
            p.getStatus().getConditions().removeIf(c -> "Ready".equals(c.getType()));
            p.getStatus().getContainerStatuses().forEach(c -> {
                c.setReady(false);
                c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                        .withExitCode(137).withReason("Error").endTerminated().build());
            });
            return p;
        });
        records.add(new Record(Instant.now(), "liveness-killed", w.getMetadata().getName()));
        timer.schedule(() -> safely(() -> {
            client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
                p.getStatus().getContainerStatuses().forEach(c -> {
                    c.setRestartCount((c.getRestartCount() == null ? 0 : c.getRestartCount()) + 1);
                    c.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                            .withExitCode(137).endTerminated().build());
                    c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewRunning()
                            .withStartedAt(Instant.now().toString()).endRunning().build());
                });
                return p;
            });
            timer.schedule(() -> safely(() -> {
                markReady(ns, pod);
                setReady(w, replicas);
            }, w), s.readyAfter().toMillis(), TimeUnit.MILLISECONDS);
        }, w), 100, TimeUnit.MILLISECONDS);
    }

    /** The container exits with the script's code after its delay, and the kubelet starts it again, for ever. */
    private void crashCycle(HasMetadata w, Script s, String ns, String pod) {
        if (s.readyAfter().compareTo(s.exitAfter()) < 0) {
            timer.schedule(() -> safely(() -> markReady(ns, pod), w), s.readyAfter().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        timer.schedule(() -> safely(() -> {
            if (get(w) == null || client.pods().inNamespace(ns).withName(pod).get() == null) {
                return;
            }
            client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
                p.getStatus().getConditions().removeIf(c -> "Ready".equals(c.getType()));
                p.getStatus().getContainerStatuses().forEach(c -> {
                    c.setReady(false);
                    c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                            .withExitCode(s.exitCode()).endTerminated().build());
                });
                return p;
            });
            records.add(new Record(Instant.now(), "exited", w.getMetadata().getName()));
            timer.schedule(() -> safely(() -> {
                if (client.pods().inNamespace(ns).withName(pod).get() == null) {
                    return;
                }
                client.pods().inNamespace(ns).withName(pod).editStatus(p -> {
                    p.getStatus().getContainerStatuses().forEach(c -> {
                        c.setRestartCount((c.getRestartCount() == null ? 0 : c.getRestartCount()) + 1);
                        c.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                                .withExitCode(s.exitCode()).endTerminated().build());
                        c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewRunning()
                                .withStartedAt(Instant.now().toString()).endRunning().build());
                    });
                    return p;
                });
                records.add(new Record(Instant.now(), "restarted", w.getMetadata().getName()));
                crashCycle(w, s, ns, pod);
            }, w), 100, TimeUnit.MILLISECONDS);
        }, w), s.exitAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The mock server keeps its expectations in a plain map, so the kubelet's timer threads register them one at a
     * time: a lost or corrupted entry would leave a pod without its log, or abort the pod's script half way.
     */
    private void serve(String path, String body) {
        synchronized (server) {
            server.expect().get().withPath(path).andReturn(200, body).always();
        }
    }

    private void kubeletError(RuntimeException e, HasMetadata w) {
        records.add(new Record(Instant.now(), "kubelet-error " + e, w.getMetadata().getName()));
        System.err.println("test kubelet: " + w.getMetadata().getName() + ": " + e);
    }

    /** What went wrong inside the kubelet itself (never the system under test), for a failing test to show. */
    List<Record> errors() {
        return records.stream().filter(r -> r.what().startsWith("kubelet-error")).toList();
    }

    private void safely(Runnable r, HasMetadata w) {
        try {
            r.run();
        } catch (RuntimeException e) {
            kubeletError(e, w);
        }
    }

    private void setReady(HasMetadata w, int ready) {
        String ns = w.getMetadata().getNamespace();
        String name = w.getMetadata().getName();
        if (w instanceof Deployment) {
            client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
                d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(ready)
                        .withReadyReplicas(ready).withAvailableReplicas(ready).build());
                return d;
            });
        } else if (w instanceof StatefulSet) {
            client.apps().statefulSets().inNamespace(ns).withName(name).editStatus(d -> {
                d.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder().withReplicas(ready)
                        .withReadyReplicas(ready).build());
                return d;
            });
        }
    }

    private void deletePods(HasMetadata w) {
        // The workload's pod template labels select its pods, as a controller's selector does (a run's Job is named
        // extract-r1, its pods are labelled with node extract and run r1).
        client.pods().inNamespace(w.getMetadata().getNamespace())
                .withLabels(template(w).getMetadata().getLabels())
                .delete();
    }

    private HasMetadata get(HasMetadata w) {
        return client.resource(w).get();
    }

    private static PodTemplateSpec template(HasMetadata w) {
        if (w instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (w instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        return ((Job) w).getSpec().getTemplate();
    }

    private static Optional<Integer> replicasOf(HasMetadata w) {
        if (w instanceof Deployment d) {
            return Optional.ofNullable(d.getSpec().getReplicas());
        }
        if (w instanceof StatefulSet s) {
            return Optional.ofNullable(s.getSpec().getReplicas());
        }
        return Optional.of(1);
    }

    private static boolean suspended(HasMetadata w) {
        return w instanceof Job j && Boolean.TRUE.equals(j.getSpec().getSuspend());
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        timer.shutdownNow();
    }
}
