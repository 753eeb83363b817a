package dev.ordo.testing;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Service;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A backend that runs the real engine in virtual time: scripted behaviours per node, health checks evaluated with
 * their interval, retries and start period as Docker does, containers remembered across runs (so idempotent
 * {@code up}, {@code down} and {@code status} work), and a deterministic {@link #history()}. A run of minutes takes
 * milliseconds. Configure it before running; it is not thread-safe.
 *
 * <p>Defaults: a node starts at once; a service is ready at once (so with a probe-based health check it is healthy
 * at its first probe, one interval after start; with a log-line check, at once); a job exits 0 at once; a stop
 * takes no time.
 *
 * <pre>{@code
 * SimulatedBackend sim = SimulatedBackend.create()
 *     .readyAfter("database", Duration.ofSeconds(20))
 *     .exitsAfter("db-table-creator", Duration.ofSeconds(5), 0);
 * RunReport report = Orchestrator.using(sim).up(plan);
 * }</pre>
 */
public final class SimulatedBackend implements Backend, TimeSource {
    /** Where virtual time starts. */
    public static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    private static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(10);

    /** What a simulated node does, per node name. */
    private static final class Script {
        Duration startsAfter = Duration.ZERO;
        Duration readyAfter = Duration.ZERO;
        boolean neverHealthy;
        Duration unhealthyAt;
        Duration exitsAfter;
        int exitCode;
        String failsToStart;
        Duration stopsAfter = Duration.ZERO;
        List<String> logs = List.of();
    }

    /** A simulated node's containers. */
    private static final class Box {
        final String node;
        String hash;
        ObservedNode.State state = ObservedNode.State.CREATED;
        OptionalInt exitCode = OptionalInt.empty();
        int replicas;
        int generation;
        int restarts;
        boolean stoppedOnPurpose;
        final List<String> output = new ArrayList<>();

        Box(String node) {
            this.node = node;
        }
    }

    private record Task(Instant at, long seq, Runnable action) {
    }

    /**
     * One thing the backend was asked to do or did, at a virtual offset from {@link #EPOCH}.
     *
     * @param at     offset from {@link #EPOCH}
     * @param kind   what happened
     * @param node   the node, or the deployment for {@code PREPARE} and {@code RELEASE}
     * @param detail extra words
     */
    public record Action(Duration at, Kind kind, String node, String detail) {
        /** Kinds of action. */
        public enum Kind {
            /** Shared resources created. */
            PREPARE,
            /** A node's containers created and started. */
            START,
            /** Running containers kept. */
            KEEP,
            /** A node's containers stopped. */
            STOP,
            /** A node's containers stopped and removed. */
            REMOVE,
            /** Shared resources removed. */
            RELEASE
        }
    }

    private final Map<String, Script> scripts = new HashMap<>();
    private final Map<String, Map<String, Box>> boxes = new TreeMap<>();
    private final PriorityQueue<Task> agenda = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
            ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private final List<Action> history = new ArrayList<>();
    private final Map<String, Boolean> volumes = new TreeMap<>();
    private Instant now = EPOCH;
    private long seq;

    private SimulatedBackend() {
    }

    /** A simulated backend with default behaviours, at virtual time {@link #EPOCH}. */
    public static SimulatedBackend create() {
        return new SimulatedBackend();
    }

    private Script script(String node) {
        return scripts.computeIfAbsent(Objects.requireNonNull(node, "node == null"), n -> new Script());
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

    /** {@code node}'s process exits with {@code exitCode}, {@code after} its start (each attempt, for a job). */
    public SimulatedBackend exitsAfter(String node, Duration after, int exitCode) {
        Script s = script(node);
        s.exitsAfter = nonNegative(after, "after");
        s.exitCode = exitCode;
        return this;
    }

    /** A service's process crashes with {@code exitCode} {@code after} its start; its restart policy applies. */
    public SimulatedBackend crashesAfter(String node, Duration after, int exitCode) {
        return exitsAfter(node, after, exitCode);
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

    /** Everything this backend did, in order. */
    public List<Action> history() {
        return List.copyOf(history);
    }

    /** The current virtual time. */
    @Override
    public Instant now() {
        return now;
    }

    /** Virtual time elapsed since {@link #EPOCH}. */
    public Duration elapsed() {
        return Duration.between(EPOCH, now);
    }

    /** Moves virtual time forward by {@code d}, running what was due (e.g. to let a scripted crash happen). */
    public void advance(Duration d) {
        Instant until = now.plus(nonNegative(d, "d"));
        while (!agenda.isEmpty() && !agenda.peek().at.isAfter(until)) {
            Task t = agenda.poll();
            now = t.at.isAfter(now) ? t.at : now;
            t.action.run();
        }
        now = until;
    }

    /** Whether named volume {@code volume} of {@code deployment} exists. */
    public boolean hasVolume(String deployment, String volume) {
        return volumes.containsKey(deployment + "/" + volume);
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public TimeSource time() {
        return this;
    }

    @Override
    public void await(Inbox inbox, Instant deadline) {
        while (inbox.isEmpty()) {
            Task t = agenda.peek();
            if (t == null || t.at.isAfter(deadline)) {
                if (deadline.isAfter(now) && deadline.isBefore(Instant.parse("9000-01-01T00:00:00Z"))) {
                    now = deadline;
                }
                return;
            }
            agenda.poll();
            if (t.at.isAfter(now)) {
                now = t.at;
            }
            t.action.run();
        }
    }

    private void at(Duration delay, Runnable action) {
        agenda.add(new Task(now.plus(delay), seq++, action));
    }

    private void record(Action.Kind kind, String node, String detail) {
        history.add(new Action(elapsed(), kind, node, detail));
    }

    private Map<String, Box> boxes(Deployment d) {
        return boxes.computeIfAbsent(d.name(), k -> new TreeMap<>());
    }

    @Override
    public void prepare(Deployment deployment) {
        record(Action.Kind.PREPARE, deployment.name(), "");
        deployment.volumes().forEach(v -> volumes.put(deployment.name() + "/" + v, true));
    }

    @Override
    public void start(Launch launch, NodeEvents events) {
        Node node = launch.node();
        Script s = scripts.getOrDefault(node.name(), new Script());
        Box box = boxes(launch.deployment()).computeIfAbsent(node.name(), Box::new);
        boolean running = box.state == ObservedNode.State.RUNNING || box.state == ObservedNode.State.HEALTHY;
        if (running && node.configHash().equals(box.hash) && !launch.recreate()) {
            record(Action.Kind.KEEP, node.name(), "");
            int gen = box.generation;
            at(Duration.ZERO, () -> {
                if (gen == box.generation) {
                    events.started(node.name(), true);
                    if (box.state == ObservedNode.State.HEALTHY) {
                        events.healthy(node.name(), Duration.ZERO);
                    }
                }
            });
            return;
        }
        box.generation++;
        box.hash = node.configHash();
        box.state = ObservedNode.State.CREATED;
        box.exitCode = OptionalInt.empty();
        box.replicas = node.replicas();
        box.restarts = 0;
        box.stoppedOnPurpose = false;
        box.output.clear();
        record(Action.Kind.START, node.name(), launch.recreate() ? "recreate" : "");
        if (s.failsToStart != null) {
            int gen = box.generation;
            at(s.startsAfter, () -> {
                if (gen == box.generation) {
                    box.state = ObservedNode.State.EXITED;
                    events.failed(node.name(), s.failsToStart);
                }
            });
            return;
        }
        run(node, s, box, events, s.startsAfter, node instanceof Job j ? j.backoffLimit() : 0);
    }

    /** Schedules one attempt of {@code node}: start, health, exit. */
    private void run(Node node, Script s, Box box, NodeEvents events, Duration startDelay, int retriesLeft) {
        int gen = box.generation;
        Instant start = now.plus(startDelay);
        at(startDelay, () -> {
            if (gen != box.generation) {
                return;
            }
            box.state = ObservedNode.State.RUNNING;
            events.started(node.name(), false);
        });
        if (node instanceof Service && node.hasHealthCheck()) {
            scheduleHealth(node, s, box, events, start, gen);
        } else if (node instanceof Service) {
            Duration ready = Duration.between(now, start).plus(s.readyAfter);
            at(ready, () -> emitLogs(node, s, box, events, gen));
        }
        if (s.exitsAfter != null || node instanceof Job) {
            Duration after = s.exitsAfter == null ? Duration.ZERO : s.exitsAfter;
            at(Duration.between(now, start).plus(after), () -> {
                if (gen != box.generation || box.state == ObservedNode.State.EXITED) {
                    return;
                }
                if (node instanceof Job) {
                    emitLogs(node, s, box, events, gen);
                }
                int code = s.exitCode;
                if (node instanceof Job && code != 0 && retriesLeft > 0) {
                    box.restarts++;
                    run(node, s, box, events, Duration.ZERO, retriesLeft - 1);
                    return;
                }
                box.state = ObservedNode.State.EXITED;
                box.exitCode = OptionalInt.of(code);
                events.exited(node.name(), code, tail(box));
                if (node instanceof Service svc && svc.restartPolicy().restartsAfter(code)) {
                    box.generation++;
                    Duration delay = FIRST_RESTART_DELAY.multipliedBy(1L << Math.min(box.restarts, 7));
                    box.restarts++;
                    run(node, s, box, events, delay.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : delay, 0);
                }
            });
        }
    }

    private void emitLogs(Node node, Script s, Box box, NodeEvents events, int gen) {
        if (gen != box.generation) {
            return;
        }
        for (String line : s.logs) {
            box.output.add(line);
            events.log(node.name(), line);
        }
    }

    private static List<String> tail(Box box) {
        int from = Math.max(0, box.output.size() - 50);
        return List.copyOf(box.output.subList(from, box.output.size()));
    }

    /** Works out, from the probe timing, when the service turns healthy or unhealthy, and schedules that. */
    private void scheduleHealth(Node node, Script s, Box box, NodeEvents events, Instant start, int gen) {
        HealthCheck hc = node.container().healthCheck().orElseThrow();
        Duration toStart = Duration.between(now, start);
        if (hc.probe() instanceof HealthCheck.LogLine log) {
            if (s.neverHealthy) {
                return;
            }
            Pattern p = Pattern.compile(log.regex());
            List<String> lines = s.logs.isEmpty() ? List.of(log.regex()) : s.logs;
            at(toStart.plus(s.readyAfter), () -> {
                if (gen != box.generation || box.state != ObservedNode.State.RUNNING) {
                    return;
                }
                for (String line : lines) {
                    box.output.add(line);
                    events.log(node.name(), line);
                    if (p.matcher(line).find()) {
                        box.state = ObservedNode.State.HEALTHY;
                        events.healthy(node.name(), Duration.ZERO);
                        return;
                    }
                }
            });
            return;
        }
        long interval = hc.interval().toNanos();
        long firstCounted = Math.max(1, ceilDiv(hc.startPeriod().toNanos(), interval));
        long unhealthyProbe = firstCounted + hc.retries() - 1;
        long passProbe = s.neverHealthy ? Long.MAX_VALUE : Math.max(1, ceilDiv(s.readyAfter.toNanos(), interval));
        String probe = describe(hc.probe());
        if (passProbe <= unhealthyProbe) {
            at(toStart.plusNanos(passProbe * interval), () -> {
                if (gen != box.generation || box.state != ObservedNode.State.RUNNING) {
                    return;
                }
                emitLogs(node, s, box, events, gen);
                box.state = ObservedNode.State.HEALTHY;
                events.healthy(node.name(), Duration.ZERO);
            });
            if (s.unhealthyAt != null) {
                long failFrom = Math.max(passProbe + 1, ceilDiv(s.unhealthyAt.toNanos(), interval));
                at(toStart.plusNanos((failFrom + hc.retries() - 1) * interval), () -> {
                    if (gen == box.generation && box.state == ObservedNode.State.HEALTHY) {
                        box.state = ObservedNode.State.UNHEALTHY;
                        events.unhealthy(node.name(), probe + " failed (simulated)");
                    }
                });
            }
        } else {
            at(toStart.plusNanos(unhealthyProbe * interval), () -> {
                if (gen == box.generation && box.state == ObservedNode.State.RUNNING) {
                    box.state = ObservedNode.State.UNHEALTHY;
                    events.unhealthy(node.name(), probe + " failed (simulated)");
                }
            });
        }
    }

    private static Duration nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what + " == null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }

    private static String describe(HealthCheck.Probe p) {
        if (p instanceof HealthCheck.Command c) {
            return "command " + String.join(" ", c.argv());
        } else if (p instanceof HealthCheck.Http h) {
            return "GET :" + h.port() + h.path();
        } else if (p instanceof HealthCheck.Tcp t) {
            return "connect :" + t.port();
        }
        return "log line";
    }

    @Override
    public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
        Box box = boxes(deployment).get(node);
        record(mode.remove() ? Action.Kind.REMOVE : Action.Kind.STOP, node, "");
        Duration takes = Optional.ofNullable(scripts.get(node)).map(s -> s.stopsAfter).orElse(Duration.ZERO);
        if (takes.compareTo(mode.gracePeriod()) > 0) {
            takes = mode.gracePeriod();
        }
        if (box != null) {
            box.generation++;
            box.stoppedOnPurpose = true;
        }
        at(takes, () -> {
            if (box != null) {
                if (mode.remove()) {
                    boxes(deployment).remove(node);
                } else {
                    box.state = ObservedNode.State.EXITED;
                    if (box.exitCode.isEmpty()) {
                        box.exitCode = OptionalInt.of(143);
                    }
                }
            }
            events.stopped(node);
        });
    }

    @Override
    public void release(Deployment deployment, boolean removeVolumes) {
        record(Action.Kind.RELEASE, deployment.name(), removeVolumes ? "volumes removed" : "volumes kept");
        if (removeVolumes) {
            volumes.keySet().removeIf(k -> k.startsWith(deployment.name() + "/"));
        }
    }

    @Override
    public List<ObservedNode> observe(Deployment deployment) {
        List<ObservedNode> out = new ArrayList<>();
        boxes(deployment).values().forEach(b -> out.add(new ObservedNode(b.node, b.hash, b.state, b.exitCode,
                b.replicas)));
        return out;
    }
}
