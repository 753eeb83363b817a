package dev.ordo.testing;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.ReplicaRestarts;
import dev.ordo.spi.Staging;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import dev.ordo.testing.SimulatedPlatform.Box;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A backend that runs the real engine in virtual time, on a simulated platform that behaves like Docker as Ordo
 * drives it: containers start, print, pass or fail the probes core schedules ({@link dev.ordo.spi.ProbeSchedule}),
 * exit, and are restarted by their restart policy with Docker's backoff; every verdict (ready, crashed, unhealthy,
 * timed out) is core's, exactly as on the real backends. Containers are remembered across runs (so idempotent
 * {@code up}, {@code down} and {@code status} work), and every action is kept in a deterministic
 * {@link #history()}. A run of minutes takes milliseconds. Configure it before running; it is not thread-safe, but
 * a {@link dev.ordo.run.RunListener} may call {@link #kill} or {@link #disconnect} while a run goes on.
 *
 * <p>Defaults: a node starts at once; a service is ready at once (its first probe, at its start, passes); a job
 * exits 0 at once; a stop takes no time.
 *
 * <pre>{@code
 * SimulatedBackend sim = SimulatedBackend.create()
 *     .readyAfter("database", Duration.ofSeconds(20))
 *     .exitsAfter("db-table-creator", Duration.ofSeconds(5), 0);
 * RunReport report = Orchestrator.using(sim).up(plan);
 * }</pre>
 */
public final class SimulatedBackend implements Backend, TimeSource, Staging, ReplicaRestarts {
    /** Where virtual time starts unless {@link #startAt} says otherwise. */
    public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * One thing the backend was asked to do or did, at a virtual offset from the clock's start.
     *
     * @param at     offset from the clock's start
     * @param kind   what happened
     * @param node   the node, or the deployment for {@code PREPARE} and {@code RELEASE}
     * @param detail extra words
     */
    public record Action(Duration at, Kind kind, String node, String detail) {
        /** Kinds of action. */
        public enum Kind {
            /** Shared resources created. */
            PREPARE,
            /** A node staged by core (see {@code Staging.stage}): nothing is created or started in the simulation. */
            STAGE,
            /** A staged node that core will not start after all. */
            UNSTAGE,
            /** A node's containers created and started. */
            START,
            /** Running containers kept. */
            KEEP,
            /** A service's container restarted by its restart policy, or one replica for its liveness check. */
            RESTART,
            /** A node's containers killed from outside (as {@code docker kill} would). */
            KILL,
            /** A node's containers stopped. */
            STOP,
            /** A node's containers stopped and removed. */
            REMOVE,
            /** Shared resources removed. */
            RELEASE
        }
    }

    private final Map<String, NodeScript> scripts = new HashMap<>();
    private final Map<String, Map<String, Box>> boxes = new TreeMap<>();
    private final VirtualClock clock = new VirtualClock(EPOCH);
    private final List<Action> history = new ArrayList<>();
    private final SimulatedVolumes volumes = new SimulatedVolumes();
    private final Set<String> foreign = new HashSet<>();
    private final SimulatedPlatform platform = new SimulatedPlatform(this);
    private NodeEvents lastEvents;
    private boolean disconnected;

    private SimulatedBackend() {
    }

    /** A simulated backend with default behaviours, at virtual time {@link #EPOCH}. */
    public static SimulatedBackend create() {
        return new SimulatedBackend();
    }

    private NodeScript script(String node) {
        return scripts.computeIfAbsent(Objects.requireNonNull(node, "node == null"), n -> new NodeScript());
    }

    NodeScript scriptOf(String node) {
        return scripts.getOrDefault(node, new NodeScript());
    }

    /** {@code node}'s containers run {@code delay} after the engine starts it (image pull, container create). */
    public SimulatedBackend startsAfter(String node, Duration delay) {
        script(node).startsAfter = nonNegative(delay, "delay");
        return this;
    }

    /** {@code node} is ready {@code delay} after its containers run: its health probes pass from then on. */
    public SimulatedBackend readyAfter(String node, Duration delay) {
        script(node).readyAfter = nonNegative(delay, "delay");
        return this;
    }

    /** {@code node}'s health probes never pass. */
    public SimulatedBackend neverHealthy(String node) {
        script(node).neverHealthy = true;
        return this;
    }

    /** {@code node}'s health probes fail from {@code after} its start on (after it was healthy). */
    public SimulatedBackend unhealthyAt(String node, Duration after) {
        script(node).unhealthyAt = nonNegative(after, "after");
        return this;
    }

    /** {@code node}'s liveness probes fail from {@code after} its first start on; once restarted, they pass. */
    public SimulatedBackend livenessFailsAt(String node, Duration after) {
        script(node).livenessFailsAt = nonNegative(after, "after");
        return this;
    }

    /** {@code node}'s process exits with {@code exitCode}, {@code after} its start (every attempt of a job). */
    public SimulatedBackend exitsAfter(String node, Duration after, int exitCode) {
        NodeScript s = script(node);
        s.exitsAfter = nonNegative(after, "after");
        s.exitCodes = new int[] {exitCode};
        return this;
    }

    /**
     * A job's attempts exit with these codes in turn, {@code after} their start; the last code repeats. E.g.
     * {@code attemptsExit("migrate", d, 1, 0)}: the first attempt fails, the retry succeeds.
     */
    public SimulatedBackend attemptsExit(String node, Duration after, int... exitCodes) {
        Objects.requireNonNull(exitCodes, "exitCodes == null");
        if (exitCodes.length == 0) {
            throw new IllegalArgumentException("give at least one exit code for '" + node + "'");
        }
        NodeScript s = script(node);
        s.exitsAfter = nonNegative(after, "after");
        s.exitCodes = exitCodes.clone();
        return this;
    }

    /** A service's process crashes with {@code exitCode} {@code after} its start; its restart policy applies. */
    public SimulatedBackend crashesAfter(String node, Duration after, int exitCode) {
        return exitsAfter(node, after, exitCode);
    }

    /**
     * Each restart of {@code node} by its restart policy takes {@code extra} beyond the platform's backoff, as on a
     * loaded engine; the platform says it has taken the restart up ({@code Fact.RestartPending}) as Docker does.
     */
    public SimulatedBackend restartsSlowly(String node, Duration extra) {
        script(node).restartTakes = nonNegative(extra, "extra");
        return this;
    }

    /** {@code node} cannot be run at all, e.g. its image cannot be pulled; {@code reason} says why. */
    public SimulatedBackend failsToStart(String node, String reason) {
        script(node).failsToStart = Objects.requireNonNull(reason, "reason == null");
        return this;
    }

    /** Stopping {@code node} takes {@code delay} (capped by its stop grace period, as SIGKILL would). */
    public SimulatedBackend stopsAfter(String node, Duration delay) {
        script(node).stopsAfter = nonNegative(delay, "delay");
        return this;
    }

    /** {@code node} prints {@code lines} when it becomes ready (a log-line health check matches against them). */
    public SimulatedBackend logs(String node, String... lines) {
        script(node).logs = List.of(lines);
        return this;
    }

    /**
     * A container named as {@code node}'s first replica of {@code deployment} exists that Ordo did not create: a
     * start of that node is refused, naming the clash, as on a real engine.
     */
    public SimulatedBackend foreignContainer(String deployment, String node) {
        foreign.add(Objects.requireNonNull(deployment, "deployment == null") + "/"
                + Objects.requireNonNull(node, "node == null"));
        return this;
    }

    /**
     * Kills {@code node}'s running containers now, from outside, as {@code docker kill} does: they exit with 137 and
     * their restart policy does not bring them back. Callable from a run listener while a run goes on.
     */
    public void kill(String deployment, String node) {
        Box box = boxes(deployment).get(node);
        if (box == null) {
            throw new OrdoException("no simulated containers of node '" + node + "' in deployment '" + deployment
                    + "' to kill");
        }
        record(Action.Kind.KILL, node, "");
        at(Duration.ZERO, () -> platform.kill(box));
    }

    /**
     * The simulated platform stops answering now: the running operation is told so, and every later call fails
     * until {@link #reconnect()}. Containers keep their state.
     */
    public void disconnect() {
        disconnected = true;
        NodeEvents events = lastEvents;
        if (events != null) {
            at(Duration.ZERO, () -> events.report(new Fact.Unreachable("the simulated platform", "disconnected by the test",
                    "call reconnect() and run up again")));
        }
    }

    /** The simulated platform answers again. */
    public void reconnect() {
        disconnected = false;
    }

    /** The secret files delivered to replica 1 of {@code node}'s current containers: path to content. */
    public Map<String, String> deliveredSecrets(String deployment, String node) {
        Box box = boxes(deployment).get(node);
        return box == null || box.replicas.isEmpty() ? Map.of() : Map.copyOf(box.replicas.get(0).secretFiles);
    }

    /**
     * The environment each container of {@code node} was created with, oldest first, across runs and attempts: what a
     * triggered run's steps really received (secrets as files are not environment and never show here).
     */
    public List<Map<String, String>> environments(String node) {
        return platform.environments(node);
    }

    /** Everything this backend did, in order. */
    public List<Action> history() {
        return List.copyOf(history);
    }

    /** The current virtual time. */
    @Override
    public Instant now() {
        return clock.now();
    }

    /** Virtual time elapsed since the clock started ({@link #EPOCH} unless {@link #startAt}). */
    public Duration elapsed() {
        return clock.elapsed();
    }

    /** Moves virtual time forward by {@code d}, running what was due (e.g. to let a scripted crash happen). */
    public void advance(Duration d) {
        clock.advanceTo(clock.now().plus(nonNegative(d, "d")));
    }

    /** Whether {@code deployment}'s volume {@code volume} exists, under the name its declaration gives it. */
    public boolean hasVolume(Deployment deployment, String volume) {
        return volumes.exists(deployment, volume);
    }

    /** Whether a volume of platform name {@code name} exists, whoever made it. */
    public boolean hasVolumeNamed(String name) {
        return volumes.exists(name);
    }

    /**
     * Creates volume {@code name} outside any deployment, for a deployment that declares it external; the simulated
     * platform keeps it for good, as it never removes what it did not create.
     */
    public SimulatedBackend externalVolume(String name) {
        volumes.createOutside(Objects.requireNonNull(name, "name == null"));
        return this;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public TimeSource time() {
        return this;
    }

    /** Virtual time: a living deployment on this backend runs as far as its caller advances it. */
    @Override
    public boolean isVirtual() {
        return true;
    }

    /**
     * Sets the virtual clock to {@code instant} before anything runs (default {@link #EPOCH}), e.g. to test
     * schedules from a given date.
     */
    public SimulatedBackend startAt(Instant instant) {
        Objects.requireNonNull(instant, "instant == null");
        if (!history.isEmpty()) {
            throw new IllegalStateException("startAt must be called before the backend is used");
        }
        clock.startAt(instant);
        return this;
    }

    @Override
    public void await(Inbox inbox, Instant deadline) {
        clock.runUntil(() -> !inbox.isEmpty(), deadline);
    }

    void at(Duration delay, Runnable action) {
        clock.at(delay, action);
    }

    void record(Action.Kind kind, String node, String detail) {
        history.add(new Action(elapsed(), kind, node, detail));
    }

    private Map<String, Box> boxes(Deployment d) {
        return boxes(d.name());
    }

    private Map<String, Box> boxes(String deployment) {
        return boxes.computeIfAbsent(deployment, k -> new TreeMap<>());
    }

    private void answer() {
        if (disconnected) {
            throw new OrdoException("the simulated platform does not answer (disconnected by the test); call"
                    + " reconnect()");
        }
    }

    @Override
    public void prepare(Deployment deployment) {
        answer();
        volumes.prepare(deployment);
        record(Action.Kind.PREPARE, deployment.name(), "");
    }

    @Override
    public void start(Launch launch, NodeEvents events) {
        answer();
        lastEvents = events;
        String node = launch.key();
        if (foreign.contains(launch.deployment().name() + "/" + node)) {
            String container = launch.deployment().name() + "-" + node + "-1";
            at(Duration.ZERO, () -> events.report(new Fact.Refused(node, "node '" + node + "': container name '" + container
                    + "' is taken by a container Ordo did not create for this node; Ordo never touches containers"
                    + " without its labels, so remove or rename that container, or rename the deployment")));
            return;
        }
        platform.start(boxes(launch.deployment()), launch, events);
    }

    @Override
    public void stage(Launch launch) {
        record(Action.Kind.STAGE, launch.key(), "");
    }

    @Override
    public void unstage(Launch launch) {
        record(Action.Kind.UNSTAGE, launch.key(), "");
    }

    @Override
    public void restart(Deployment deployment, String node, int replica) {
        answer();
        Box box = boxes(deployment).get(node);
        record(Action.Kind.RESTART, node, "replica " + replica + ", liveness");
        at(Duration.ZERO, () -> platform.restart(box, replica));
    }

    @Override
    public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
        answer();
        lastEvents = events;
        Box box = boxes(deployment).get(node);
        record(mode.remove() ? Action.Kind.REMOVE : Action.Kind.STOP, node, "grace " + mode.gracePeriod());
        // A run's step (load@r1) stops as its node's script says.
        String scripted = node.contains("@") ? node.substring(0, node.indexOf('@')) : node;
        Duration wants = Optional.ofNullable(scripts.get(scripted)).map(s -> s.stopsAfter).orElse(Duration.ZERO);
        platform.stop(boxes(deployment), node, box, mode, wants, events);
    }

    @Override
    public void release(Deployment deployment, boolean removeVolumes) {
        answer();
        record(Action.Kind.RELEASE, deployment.name(), removeVolumes ? "volumes removed" : "volumes kept");
        if (removeVolumes) {
            volumes.removeOwnedBy(deployment);
        }
    }

    @Override
    public List<ObservedNode> observe(Deployment deployment) {
        answer();
        List<ObservedNode> out = new ArrayList<>();
        boxes(deployment).values().forEach(b -> out.add(SimulatedPlatform.observed(b, clock.now())));
        return out;
    }

    private static Duration nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what + " == null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }
}
