package dev.ordo.docker.internal.run;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.RestartPolicy;
import dev.ordo.Service;
import dev.ordo.docker.internal.containers.ContainerIdentity;
import dev.ordo.docker.internal.containers.LaunchContainers;
import dev.ordo.docker.internal.containers.StartGate;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.docker.internal.engine.EngineWatch;
import dev.ordo.docker.internal.engine.EventHub;
import dev.ordo.docker.internal.logs.ContainerLogs;
import dev.ordo.docker.internal.logs.LogFollower;
import dev.ordo.docker.internal.probe.Prober;
import dev.ordo.docker.internal.probe.Probers;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One launch of one node on the engine: keeps or creates its replicas as core asked, and reports what happens to
 * each as facts — started (again after every restart Docker makes), probe results, output lines, exits with the
 * tail of the run that ended. It decides nothing. Every state change runs on the launch's {@link SerialQueue}, so
 * facts of a node arrive in order.
 *
 * <pre>{@code
 * new NodeRun(launch, effective, events, containers, hub, watch, logs, probers, pool).begin();
 * }</pre>
 */
final class NodeRun {
    /** How long an exit waits for the container's log stream to deliver its last lines. */
    static final Duration LOG_DRAIN = Duration.ofSeconds(1);

    /**
     * One container of the launch, and what follows it while it runs: its output, its readiness and liveness probes.
     * Changed only on the launch's queue; read by the probes' and streams' threads, hence volatile.
     */
    private static final class Replica {
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

        /** Stops the probes; the output is still followed (an exit waits for its last lines). */
        void stopProbing() {
            if (prober != null) {
                prober.cancel();
            }
            if (liveness != null) {
                liveness.cancel();
            }
        }

        /** Stops the probes and the output's stream. */
        void stopFollowing() {
            stopProbing();
            if (logs != null) {
                logs.close();
            }
        }
    }

    private final Launch launch;
    private final Node effective;
    private final NodeEvents events;
    private final LaunchContainers containers;
    private final EventHub hub;
    private final EngineWatch watch;
    private final ContainerLogs logs;
    private final Probers probers;
    private final Executor pool;
    private final SerialQueue queue;
    private final List<Replica> replicas = new ArrayList<>();
    private volatile boolean quiet;
    /** The health and liveness checks as probed: an image's own check read from it. */
    private volatile HealthCheck health;
    private volatile HealthCheck liveCheck;

    NodeRun(Launch launch, Node effective, NodeEvents events, LaunchContainers containers, EventHub hub,
            EngineWatch watch, ContainerLogs logs, Probers probers, Executor pool) {
        this.launch = launch;
        this.effective = effective;
        this.events = events;
        this.containers = containers;
        this.hub = hub;
        this.watch = watch;
        this.logs = logs;
        this.probers = probers;
        this.pool = pool;
        this.queue = new SerialQueue(pool);
    }

    /** Where this run's facts go (the engine watch tells each, once, when the engine is lost). */
    NodeEvents events() {
        return events;
    }

    private String key() {
        return launch.key();
    }

    /** Starts the launch: its place in the start gate is taken now, before its containers are looked for. */
    void begin() {
        StartGate.Pass pass = containers.announce();
        queue.submit(() -> {
            try (pass) {
                doStart(pass);
            }
        });
    }

    /** No more facts from this launch: the engine stops it, detached from it, or replaced it with a newer one. */
    void quiet() {
        quiet = true;
        queue.submit(() -> replicas.forEach(this::release));
    }

    private void release(Replica r) {
        hub.forget(r.id);
        r.stopFollowing();
    }

    private void doStart(StartGate.Pass pass) {
        if (quiet) {
            return;
        }
        try {
            List<String> staged = containers.staged();
            if (!staged.isEmpty()) {
                try {
                    resolveChecks();
                } catch (RuntimeException e) {
                    for (String id : staged) { // refused: nothing created for it may stay
                        try {
                            containers.remove(id);
                        } catch (RuntimeException left) {
                            e.addSuppressed(left); // down, or the next up, removes it by its labels
                        }
                    }
                    throw e;
                }
                startStaged(pass, staged);
                return;
            }
            List<Container> existing = containers.existing();
            if (launch.mode() == Launch.Mode.KEEP && reusable(existing)) {
                resolveChecks();
                reuse(existing);
                return;
            }
            containers.replace(existing);
            containers.prepare(events);
            resolveChecks(); // before any container exists: an image without its own check is refused cleanly
            for (int i = 1; i <= effective.replicas() && !quiet; i++) {
                Replica r = new Replica(i, containers.create(i));
                replicas.add(r);
                listen(r);
                containers.start(pass, r.id, i);
                running(r, false);
            }
        } catch (RuntimeException e) {
            if (EngineErrors.unreachable(e)) {
                watch.lost(EngineErrors.describe(e));
            } else if (!quiet) {
                events.report(new Fact.Refused(key(), e instanceof OrdoException ? e.getMessage() : "node '" + launch.node().name()
                        + "': the Docker engine refused to run it: " + EngineErrors.describe(e) + "; fix the node's"
                        + " definition or the engine's state and run up again"));
            }
        }
    }

    /** Reads the checks to probe, once the node's image is on the engine. */
    private void resolveChecks() {
        var c = effective.container();
        health = c.healthCheck().map(containers::probed).orElse(null);
        liveCheck = c.liveness().map(containers::probed).orElse(null);
    }

    /** Starts the containers staged for this launch: created while its dependencies started, only started now. */
    private void startStaged(StartGate.Pass pass, List<String> ids) {
        for (int i = 1; i <= ids.size(); i++) {
            Replica r = new Replica(i, ids.get(i - 1));
            if (quiet) {
                containers.remove(r.id); // replaced or stopped before it started: nothing may stay behind
                continue;
            }
            replicas.add(r);
            listen(r);
            containers.start(pass, r.id, i);
            running(r, false);
        }
    }

    /** Whether what core asked to keep is still all there and running (whether it is current, core decided). */
    private boolean reusable(List<Container> existing) {
        return !existing.isEmpty() && existing.size() == effective.replicas()
                && existing.stream().allMatch(c -> "running".equals(c.getState()));
    }

    private void reuse(List<Container> existing) {
        for (Container c : existing) {
            Replica r = new Replica(ContainerIdentity.replicaOf(c.getLabels()), c.getId());
            replicas.add(r);
            listen(r);
            running(r, true);
        }
    }

    /** Replica {@code r} runs (started, kept, or restarted by Docker): report it, follow its output, probe it. */
    private void running(Replica r, boolean reused) {
        InspectContainerResponse info;
        try {
            info = containers.inspect(r.id);
        } catch (NotFoundException gone) {
            onDie(r, -1);
            return;
        }
        r.startedAt = ContainerTimes.parse(info.getState().getStartedAt(), Instant.now());
        r.outputSince = ContainerTimes.outputSince(info, r.startedAt);
        var nets = info.getNetworkSettings().getNetworks();
        // its address on the first of its networks, the one it was created on
        var net = nets == null ? null : nets.get(containers.spec().networks().get(0));
        r.ip = net == null ? null : net.getIpAddress();
        r.dead = false;
        events.report(new Fact.Started(key(), r.index, reused));
        boolean logLine = effective.container().healthCheck().map(h -> h.probe() instanceof HealthCheck.LogLine)
                .orElse(false);
        // A kept log-line service's ready line lies in its past: replay the recent output for core to match.
        r.logs = logs.follow(r.id, reused && logLine ? null : r.outputSince,
                line -> events.report(new Fact.Output(key(), r.index, line)));
        launch.probes().ifPresent(schedule -> {
            if (effective instanceof Service && !r.dead) {
                HealthCheck hc = health != null ? health : effective.container().healthCheck().orElseThrow();
                r.prober = probers.readiness(r.id, r.ip, r.startedAt, hc, schedule, (ok, out, latency) ->
                        queue.submit(() -> {
                            if (!quiet && !r.dead) {
                                events.report(new Fact.Probed(key(), r.index, ok, out, reused ? Duration.ZERO : latency));
                            }
                        }));
                r.prober.start();
            }
        });
        HealthCheck check = liveCheck;
        if (effective instanceof Service && !r.dead && check != null) {
            r.liveness = probers.liveness(r.id, r.ip, r.startedAt, check, (ok, out, latency) ->
                    queue.submit(() -> {
                        if (!quiet && !r.dead) {
                            events.report(new Fact.Liveness(key(), r.index, ok, out));
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
        hub.listen(r.id, ev -> queue.submit(() -> onEvent(r, ev)));
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
        r.stopProbing();
        LogFollower output = r.logs;
        if (output != null) {
            // The engine ends a follow stream after the container's last lines: let them arrive before the exit.
            output.awaitEnd(LOG_DRAIN);
            output.close();
        }
        List<String> tail = logs.tail(r.id, r.outputSince, Launch.LOG_TAIL_LINES);
        events.report(new Fact.Exited(key(), r.index, code, SecretHint.after(effective, code, tail)));
        if (effective instanceof Service s && s.restartPolicy() != RestartPolicy.NO && restartTakenUp(r)) {
            events.report(new Fact.RestartPending(key(), r.index));
        }
    }

    /**
     * Whether Docker has taken up the restart of the replica that just died ({@code Restarting}, or already running
     * again): on a loaded engine the start that follows may come seconds after the policy's delay, which is no crash.
     */
    private boolean restartTakenUp(Replica r) {
        try {
            var state = containers.inspect(r.id).getState();
            return Boolean.TRUE.equals(state.getRestarting()) || Boolean.TRUE.equals(state.getRunning());
        } catch (RuntimeException gone) {
            return false; // removed, or the engine is unreachable: core's own bound stands
        }
    }

    /**
     * Kills replica {@code index} and starts it again (core's verdict on its liveness); the engine's die and start
     * events become the facts, as for a restart by the policy.
     */
    void restart(int index) {
        queue.submit(() -> replicas.stream().filter(r -> r.index == index && !r.dead).findFirst().ifPresent(r ->
                pool.execute(() -> {
                    try {
                        containers.restart(r.id);
                    } catch (RuntimeException e) {
                        events.report(new Fact.Refused(key(), "Docker could not restart container " + r.id.substring(0, 12)
                                + " after its liveness check failed: " + EngineErrors.describe(e)));
                    }
                })));
    }
}
