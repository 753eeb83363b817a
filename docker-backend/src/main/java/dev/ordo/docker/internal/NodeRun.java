package dev.ordo.docker.internal;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.RestartPolicy;
import dev.ordo.Service;
import dev.ordo.spi.Labels;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One launch of one node on the engine: keeps or creates its replicas as core asked, and reports what happens to
 * each as facts — started (again after every restart Docker makes), probe results, output lines, exits with the
 * tail of the run that ended. It decides nothing. Every state change runs on the launch's {@link SerialQueue}, so
 * facts of a node arrive in order.
 *
 * <pre>{@code
 * new NodeRun(runtime, launch, effective, events).begin();
 * }</pre>
 */
final class NodeRun {
    /** How long an exit waits for the container's log stream to deliver its last lines. */
    static final Duration LOG_DRAIN = Duration.ofSeconds(1);

    /** One container of the launch. */
    static final class Replica {
        final int index;
        final String id;
        volatile Instant startedAt = Instant.now();
        /**
         * Where this run's output begins: the previous run's exit when Docker restarted the container, else the
         * beginning. Not the start: the engine stamps StartedAt after the process runs, so a first line printed at
         * once can carry an earlier stamp (a job's "migrating" was lost from its tail under load).
         */
        volatile Instant outputSince = Instant.EPOCH;
        volatile String ip;
        volatile boolean dead;
        volatile Prober prober;
        volatile Prober liveness;
        volatile LogFollower logs;

        Replica(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    final Launch launch;
    final NodeEvents events;
    private final DockerRuntime rt;
    private final Node effective;
    private final ContainerSpec spec;
    private final SerialQueue queue;
    private final List<Replica> replicas = new ArrayList<>();
    private volatile boolean quiet;
    /** The health and liveness checks as probed: an image's own check read from it ({@link ImageHealthCheck}). */
    private volatile HealthCheck health;
    private volatile HealthCheck liveCheck;

    NodeRun(DockerRuntime rt, Launch launch, Node effective, NodeEvents events) {
        this.rt = rt;
        this.launch = launch;
        this.effective = effective;
        this.events = events;
        this.spec = new ContainerSpec(rt, launch, effective);
        this.queue = new SerialQueue(rt.pool);
    }

    private String key() {
        return launch.key();
    }

    void begin() {
        queue.submit(this::doStart);
    }

    /** No more facts from this launch: the engine stops it, detached from it, or replaced it with a newer one. */
    void quiet() {
        quiet = true;
        queue.submit(() -> replicas.forEach(this::release));
    }

    private void release(Replica r) {
        rt.hub.forget(r.id);
        if (r.prober != null) {
            r.prober.cancel();
        }
        if (r.liveness != null) {
            r.liveness.cancel();
        }
        if (r.logs != null) {
            r.logs.close();
        }
    }

    private void doStart() {
        if (quiet) {
            return;
        }
        try {
            List<String> staged = rt.staging.take(launch, effective);
            if (!staged.isEmpty()) {
                try {
                    resolveChecks();
                } catch (RuntimeException e) {
                    for (String id : staged) { // refused: nothing created for it may stay
                        try {
                            rt.removeQuietly(id);
                        } catch (RuntimeException left) {
                            e.addSuppressed(left); // down, or the next up, removes it by its labels
                        }
                    }
                    throw e;
                }
                startStaged(staged);
                return;
            }
            List<Container> existing = rt.containersOf(launch.deployment().name(), launch.node().name(),
                    launch.run());
            if (launch.mode() == Launch.Mode.KEEP && reusable(existing)) {
                resolveChecks();
                reuse(existing);
                return;
            }
            replace(existing);
            spec.checkNameClash();
            spec.ensureImage(events);
            resolveChecks(); // before any container exists: an image without its own check is refused cleanly
            for (int i = 1; i <= effective.replicas() && !quiet; i++) {
                Replica r = new Replica(i, spec.create(i));
                replicas.add(r);
                listen(r);
                spec.start(r.id, i);
                running(r, false);
            }
        } catch (RuntimeException e) {
            if (DockerCalls.unreachable(e)) {
                rt.watch.lost(DockerCalls.describe(e));
            } else if (!quiet) {
                events.refused(key(), e instanceof OrdoException ? e.getMessage() : "node '" + launch.node().name()
                        + "': the Docker engine refused to run it: " + DockerCalls.describe(e) + "; fix the node's"
                        + " definition or the engine's state and run up again");
            }
        }
    }

    /**
     * Removes the containers the new ones replace (a changed definition, a job run again), each stopped first as
     * {@code down} stops it, so that a database shuts down cleanly rather than being killed mid-write (PostgreSQL then
     * needs crash recovery at its next start), and a job's process may end its work.
     */
    private void replace(List<Container> existing) {
        new Stopper(rt).stopAndRemoveAll(existing, effective.container().stopGracePeriod(),
                "the containers node '" + launch.node().name() + "' replaces");
    }

    /** Reads the checks to probe, once the node's image is on the engine. */
    private void resolveChecks() {
        String image = spec.image();
        var c = effective.container();
        health = c.healthCheck().map(h -> ImageHealthCheck.resolve(rt.client, launch.node().name(), image, h))
                .orElse(null);
        liveCheck = c.liveness().map(h -> ImageHealthCheck.resolve(rt.client, launch.node().name(), image, h))
                .orElse(null);
    }

    /** Starts the containers staged for this launch: created while its dependencies started, only started now. */
    private void startStaged(List<String> ids) {
        for (int i = 1; i <= ids.size(); i++) {
            Replica r = new Replica(i, ids.get(i - 1));
            if (quiet) {
                rt.removeQuietly(r.id); // replaced or stopped before it started: nothing may stay behind
                continue;
            }
            replicas.add(r);
            listen(r);
            spec.start(r.id, i);
            running(r, false);
        }
    }

    private boolean reusable(List<Container> existing) {
        if (existing.size() != effective.replicas() || existing.isEmpty()) {
            return false;
        }
        for (Container c : existing) {
            Map<String, String> l = DockerCalls.labels(c.getLabels());
            if (!effective.configHash().equals(l.get(ContainerSpec.EFFECTIVE_HASH)) || !"running".equals(c.getState())) {
                return false;
            }
        }
        return true;
    }

    private void reuse(List<Container> existing) {
        for (Container c : existing) {
            int index = Integer.parseInt(DockerCalls.labels(c.getLabels()).getOrDefault(Labels.REPLICA, "1"));
            Replica r = new Replica(index, c.getId());
            replicas.add(r);
            listen(r);
            running(r, true);
        }
    }

    /** Replica {@code r} runs (started, kept, or restarted by Docker): report it, follow its output, probe it. */
    private void running(Replica r, boolean reused) {
        InspectContainerResponse info;
        try {
            info = rt.client.inspectContainerCmd(r.id).exec();
        } catch (NotFoundException gone) {
            onDie(r, -1);
            return;
        }
        r.startedAt = parse(info.getState().getStartedAt(), Instant.now());
        r.outputSince = outputSince(info, r.startedAt);
        var nets = info.getNetworkSettings().getNetworks();
        // its address on the first of its networks, the one it was created on
        var net = nets == null ? null : nets.get(DeploymentNetworks.joinedBy(launch.deployment(), effective).get(0));
        r.ip = net == null ? null : net.getIpAddress();
        r.dead = false;
        events.started(key(), r.index, reused);
        boolean logLine = effective.container().healthCheck().map(h -> h.probe() instanceof HealthCheck.LogLine)
                .orElse(false);
        // A kept log-line service's ready line lies in its past: replay the recent output for core to match.
        r.logs = new LogFollower(rt, r.id, reused && logLine ? null : r.outputSince,
                line -> events.output(key(), r.index, line));
        r.logs.start();
        launch.probes().ifPresent(schedule -> {
            if (effective instanceof Service && !r.dead) {
                HealthCheck hc = health != null ? health : effective.container().healthCheck().orElseThrow();
                Instant since = r.startedAt;
                r.prober = new Prober(rt, r.id, r.ip, since, hc, schedule, (ok, out, latency) -> queue.submit(() -> {
                    if (!quiet && !r.dead) {
                        events.probed(key(), r.index, ok, out, reused ? Duration.ZERO : latency);
                    }
                }));
                r.prober.start();
            }
        });
        HealthCheck check = liveCheck;
        if (effective instanceof Service && !r.dead && check != null) {
            r.liveness = Prober.liveness(rt, r.id, r.ip, r.startedAt, check, (ok, out, latency) ->
                    queue.submit(() -> {
                        if (!quiet && !r.dead) {
                            events.liveness(key(), r.index, ok, out);
                        }
                    }));
            r.liveness.start();
        }
        var state = info.getState();
        if (!Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting())
                && state.getExitCodeLong() != null && !"created".equals(state.getStatus())) {
            onDie(r, state.getExitCodeLong().intValue()); // a quick job may be done before we looked
        }
    }

    private void listen(Replica r) {
        rt.hub.listen(r.id, ev -> queue.submit(() -> onEvent(r, ev)));
    }

    private void onEvent(Replica r, Event ev) {
        if (quiet) {
            return;
        }
        String action = ev.getAction() != null ? ev.getAction() : ev.getStatus();
        if ("die".equals(action)) {
            String code = ev.getActor() == null ? null : ev.getActor().getAttributes().get("exitCode");
            onDie(r, code == null ? -1 : Integer.parseInt(code));
        } else if ("start".equals(action) && r.dead) {
            running(r, false); // brought back by Docker's restart policy
        }
    }

    private void onDie(Replica r, int code) {
        if (r.dead || quiet) {
            return;
        }
        r.dead = true;
        if (r.prober != null) {
            r.prober.cancel();
        }
        if (r.liveness != null) {
            r.liveness.cancel();
        }
        LogFollower logs = r.logs;
        if (logs != null) {
            // The engine ends a follow stream after the container's last lines: let them arrive before the exit.
            logs.awaitEnd(LOG_DRAIN);
            logs.close();
        }
        List<String> tail = rt.logTail(r.id, r.outputSince, Launch.LOG_TAIL_LINES);
        events.exited(key(), r.index, code, SecretHint.after(effective, code, tail));
        if (effective instanceof Service s && s.restartPolicy() != RestartPolicy.NO && restartTakenUp(r)) {
            events.restartPending(key(), r.index);
        }
    }

    /**
     * Whether Docker has taken up the restart of the replica that just died ({@code Restarting}, or already running
     * again): on a loaded engine the start that follows may come seconds after the policy's delay, which is no crash.
     */
    private boolean restartTakenUp(Replica r) {
        try {
            var state = rt.client.inspectContainerCmd(r.id).exec().getState();
            return Boolean.TRUE.equals(state.getRestarting()) || Boolean.TRUE.equals(state.getRunning());
        } catch (RuntimeException gone) {
            return false; // removed, or the engine is unreachable: core's own bound stands
        }
    }

    /**
     * Where a container's current run's output begins. While it runs, FinishedAt is its previous run's exit (if
     * Docker restarted it); once it has exited, FinishedAt is this run's own exit, which the engine may even stamp
     * before StartedAt, and an earlier run's end is unknown: then a little before StartedAt.
     */
    static Instant outputSince(InspectContainerResponse info, Instant startedAt) {
        var state = info.getState();
        boolean running = Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting());
        Integer restarts = info.getRestartCount();
        if (restarts == null || restarts == 0) {
            return Instant.EPOCH;
        }
        Instant finished = parse(state.getFinishedAt(), Instant.EPOCH);
        return running && finished.isBefore(startedAt) ? finished : startedAt.minus(EARLY_OUTPUT);
    }

    /** How long before its recorded start a process's first line may be stamped (measured: a few ms). */
    static final Duration EARLY_OUTPUT = Duration.ofMillis(50);

    static Instant parse(String engineTime, Instant otherwise) {
        if (engineTime == null || engineTime.startsWith("0001-")) {
            return otherwise;
        }
        try {
            return Instant.parse(engineTime);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    /**
     * Kills replica {@code index} and starts it again (core's verdict on its liveness); the engine's die and start
     * events become the facts, as for a restart by the policy.
     */
    void restart(int index) {
        queue.submit(() -> replicas.stream().filter(r -> r.index == index && !r.dead).findFirst().ifPresent(r ->
                rt.pool.execute(() -> {
                    try {
                        rt.client.restartContainerCmd(r.id).withTimeout((int) Math.min(Integer.MAX_VALUE,
                                (effective.container().stopGracePeriod().toMillis() + 999) / 1000)).exec();
                    } catch (RuntimeException e) {
                        events.refused(key(), "Docker could not restart container " + r.id.substring(0, 12)
                                + " after its liveness check failed: " + DockerCalls.describe(e));
                    }
                })));
    }

    /** Whether the launch's containers are the ones {@code ids} name (for stop's bookkeeping). */
    boolean owns(String id) {
        return replicas.stream().anyMatch(r -> r.id.equals(id));
    }

    static void await(CountDownLatch latch, Duration limit) {
        try {
            latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
