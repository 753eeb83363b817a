package dev.ordo.testing;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.ProbeSchedule;
import dev.ordo.spi.RestartBackoff;
import dev.ordo.spi.StopMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The simulated platform: containers that behave as scripted, on the virtual clock, the way Docker behaves. It runs
 * a service's restart policy with Docker's backoff, probes health checks when {@link ProbeSchedule} says, and only
 * reports facts; every verdict is core's. One instance per {@link SimulatedBackend}.
 */
final class SimulatedPlatform {
    /** One replica container. */
    static final class Replica {
        final int index;
        ObservedNode.State state = ObservedNode.State.CREATED;
        int run;
        /** How many times this replica has started. */
        int lives;
        Instant startedAt;
        int quickRestarts;
        /** Restarts after a non-zero exit, which an on-failure limit counts (Docker's RestartCount). */
        int failureRestarts;
        boolean stoppedOnPurpose;
        boolean ready;
        boolean printed;
        OptionalInt exitCode = OptionalInt.empty();
        final List<String> output = new ArrayList<>();
        final Map<String, String> secretFiles = new LinkedHashMap<>();

        Replica(int index) {
            this.index = index;
        }

        boolean running() {
            return state == ObservedNode.State.RUNNING || state == ObservedNode.State.HEALTHY;
        }
    }

    /** A node's replicas. */
    static final class Box {
        final Node node;
        final String key;
        final String hash;
        final List<Replica> replicas = new ArrayList<>();
        int attempt;
        NodeEvents events;
        Optional<ProbeSchedule> probes = Optional.empty();

        Box(Node node, String key, String hash) {
            this.node = node;
            this.key = key;
            this.hash = hash;
        }
    }

    private final SimulatedBackend sim;
    /** Each container's environment at creation, per node name, oldest first. */
    private final Map<String, List<Map<String, String>>> environments = new HashMap<>();

    List<Map<String, String>> environments(String node) {
        return List.copyOf(environments.getOrDefault(node, List.of()));
    }

    SimulatedPlatform(SimulatedBackend sim) {
        this.sim = sim;
    }

    /** Runs {@code launch}: keeps running replicas or creates new ones, and schedules what the script says. */
    void start(Map<String, Box> boxes, Launch launch, NodeEvents events) {
        Node node = launch.node();
        NodeScript s = sim.scriptOf(node.name());
        String key = launch.key();
        Box old = boxes.get(key);
        if (launch.mode() == Launch.Mode.KEEP && old != null
                && !old.replicas.isEmpty() && old.replicas.stream().allMatch(Replica::running)) {
            sim.record(SimulatedBackend.Action.Kind.KEEP, key, "");
            old.events = events;
            for (Replica r : old.replicas) {
                keep(old, r, s, launch);
            }
            return;
        }
        if (old != null) {
            old.replicas.forEach(r -> r.run++);
        }
        Box box = new Box(node, key, node.configHash());
        box.attempt = launch.attempt();
        box.events = events;
        boxes.put(key, box);
        environments.computeIfAbsent(node.name(), n -> new ArrayList<>()).add(node.container().environment());
        sim.record(SimulatedBackend.Action.Kind.START, key, old != null ? "recreate"
                : launch.attempt() > 1 ? "attempt " + launch.attempt() : "");
        for (int i = 1; i <= node.replicas(); i++) {
            Replica r = new Replica(i);
            box.replicas.add(r);
            deliverSecrets(launch.deployment(), node, r);
        }
        if (s.failsToStart != null) {
            int run = box.replicas.isEmpty() ? 0 : box.replicas.get(0).run;
            sim.at(s.startsAfter, () -> {
                if (box.replicas.isEmpty() || box.replicas.get(0).run == run) {
                    box.replicas.forEach(r -> r.state = ObservedNode.State.EXITED);
                    events.report(new Fact.Refused(key, s.failsToStart));
                }
            });
            return;
        }
        box.probes = launch.probes();
        for (Replica r : box.replicas) {
            runReplica(box, r, s, launch.probes(), s.startsAfter);
        }
    }

    private void deliverSecrets(Deployment d, Node node, Replica r) {
        for (SecretRef ref : node.container().secrets()) {
            Secret secret = d.secrets().get(ref.secret());
            if (secret != null && !ref.isEnvironment()) {
                r.secretFiles.put(ref.path(), new String(secret.value(), StandardCharsets.UTF_8));
            }
        }
    }

    private void keep(Box box, Replica r, NodeScript s, Launch launch) {
        int run = r.run;
        Node node = box.node;
        sim.at(Duration.ZERO, () -> {
            if (r.run != run) {
                return;
            }
            box.events.report(new Fact.Started(box.key, r.index, true));
            if (node instanceof Service) {
                node.container().liveness().ifPresent(l -> probeLiveness(box, r, s, run, l, Duration.ZERO));
            }
            Duration readyIn = Duration.between(sim.now(), r.startedAt.plus(s.readyAfter));
            if (node.container().healthCheck().map(h -> h.probe() instanceof HealthCheck.LogLine).orElse(false)) {
                sim.at(readyIn.isNegative() ? Duration.ZERO : readyIn, () -> print(box, r, s, run, true));
            } else if (launch.probes().isPresent() && !s.neverHealthy) {
                sim.at(readyIn.isNegative() ? Duration.ZERO : readyIn, () -> pass(box, r, s, run, launch.probes()
                        .get()));
            }
        });
    }

    /** One run of a replica: its start, then its health, output and exit as scripted. */
    private void runReplica(Box box, Replica r, NodeScript s, Optional<ProbeSchedule> probes,
                            Duration delay) {
        int run = ++r.run;
        Node node = box.node;
        sim.at(delay, () -> {
            if (r.run != run) {
                return;
            }
            r.state = ObservedNode.State.RUNNING;
            r.startedAt = sim.now();
            r.lives++;
            r.ready = false;
            r.printed = false;
            r.output.clear();
            box.events.report(new Fact.Started(box.key, r.index, false));
            scheduleHealth(box, r, s, probes, run);
            if (node instanceof Service) {
                node.container().liveness().ifPresent(l -> probeLiveness(box, r, s, run, l, l.startPeriod()));
            }
            Duration exitAfter = s.exitAfter(node, box.attempt);
            if (exitAfter != null) {
                sim.at(exitAfter, () -> {
                    if (r.run == run && r.running()) {
                        print(box, r, s, run, false);
                        exit(box, r, s, s.exitCode(box.attempt), probes);
                    }
                });
            }
        });
    }

    private void scheduleHealth(Box box, Replica r, NodeScript s, Optional<ProbeSchedule> probes,
                                int run) {
        Node node = box.node;
        boolean logLine = node instanceof Service && node.container().healthCheck()
                .map(h -> h.probe() instanceof HealthCheck.LogLine).orElse(false);
        if (logLine) {
            if (!s.neverHealthy) {
                sim.at(s.readyAfter, () -> print(box, r, s, run, true));
            }
            return;
        }
        if (probes.isEmpty()) {
            if (node instanceof Service) {
                sim.at(s.readyAfter, () -> print(box, r, s, run, false));
            }
            return;
        }
        ProbeSchedule schedule = probes.get();
        Duration passAt = s.neverHealthy ? null : schedule.firstAtOrAfter(s.readyAfter);
        if (passAt == null || !passAt.isZero()) {
            // The first probe, at the start, fails: core keeps its output for the report.
            box.events.report(new Fact.Probed(box.key, r.index, false, describe(node) + " failed (simulated: not ready yet)",
                    Duration.ZERO));
        }
        if (passAt != null) {
            sim.at(passAt, () -> pass(box, r, s, run, schedule));
        }
    }

    private void pass(Box box, Replica r, NodeScript s, int run, ProbeSchedule schedule) {
        if (r.run != run || !r.running()) {
            return;
        }
        print(box, r, s, run, false);
        r.ready = true;
        r.state = ObservedNode.State.HEALTHY;
        box.events.report(new Fact.Probed(box.key, r.index, true, describe(box.node) + " passed (simulated)", Duration.ZERO));
        if (s.unhealthyAt != null) {
            // After a pass, probes run every interval: the first one at or after unhealthyAt fails, and so on.
            Duration sinceStart = Duration.between(r.startedAt, sim.now());
            Duration wait = s.unhealthyAt.minus(sinceStart);
            long k = wait.isNegative() || wait.isZero() ? 1
                    : (wait.toNanos() + schedule.afterReady().toNanos() - 1) / schedule.afterReady().toNanos();
            sim.at(schedule.afterReady().multipliedBy(Math.max(1, k)), () -> {
                if (r.run == run && r.running()) {
                    r.state = ObservedNode.State.UNHEALTHY;
                    box.events.report(new Fact.Probed(box.key, r.index, false, describe(box.node) + " failed (simulated)",
                            Duration.ZERO));
                }
            });
        }
    }

    /** Probes liveness as a backend without a kubelet does: from the start period after a start, every interval. */
    private void probeLiveness(Box box, Replica r, NodeScript s, int run, HealthCheck check, Duration in) {
        sim.at(in, () -> {
            if (r.run != run || !r.running()) {
                return;
            }
            boolean fails = s.livenessFailsAt != null && r.lives == 1
                    && Duration.between(r.startedAt, sim.now()).compareTo(s.livenessFailsAt) >= 0;
            box.events.report(new Fact.Liveness(box.key, r.index, !fails, "liveness " + (fails ? "failed" : "passed") + " (simulated)"));
            probeLiveness(box, r, s, run, check, check.interval());
        });
    }

    /** Kills one replica and starts it again at once, as core asked after its liveness failed. */
    void restart(Box box, int index) {
        if (box == null || index < 1 || index > box.replicas.size()) {
            return;
        }
        Replica r = box.replicas.get(index - 1);
        if (!r.running()) {
            return;
        }
        r.state = ObservedNode.State.EXITED;
        r.exitCode = OptionalInt.of(137);
        r.run++;
        box.events.report(new Fact.Exited(box.key, r.index, 137, tail(r)));
        runReplica(box, r, sim.scriptOf(box.node.name()), box.probes, Duration.ZERO);
    }

    /** Prints the scripted lines once per run of the replica: when it becomes ready, or before it exits. */
    private void print(Box box, Replica r, NodeScript s, int run, boolean logLineCheck) {
        if (r.run != run || !r.running() || r.printed) {
            return;
        }
        r.printed = true;
        List<String> lines = s.logs;
        if (lines.isEmpty() && logLineCheck) {
            lines = List.of(((HealthCheck.LogLine) box.node.container().healthCheck().orElseThrow().probe()).regex());
        }
        for (String line : lines) {
            r.output.add(line);
            box.events.report(new Fact.Output(box.key, r.index, line));
        }
    }

    private void exit(Box box, Replica r, NodeScript s, int code, Optional<ProbeSchedule> probes) {
        Instant now = sim.now();
        r.state = ObservedNode.State.EXITED;
        r.exitCode = OptionalInt.of(code);
        r.run++;
        box.events.report(new Fact.Exited(box.key, r.index, code, tail(r)));
        if (box.node instanceof Service svc && svc.restartsAfter(code, r.failureRestarts) && !r.stoppedOnPurpose) {
            if (code != 0) {
                r.failureRestarts++;
            }
            // Docker's restart manager: a backoff that doubles while restarts come quickly.
            int consecutive = RestartBackoff.DOCKER.consecutive(r.startedAt, now, r.quickRestarts);
            r.quickRestarts = consecutive + 1;
            sim.record(SimulatedBackend.Action.Kind.RESTART, box.key, "exit code " + code);
            box.events.report(new Fact.RestartPending(box.key, r.index));
            runReplica(box, r, s, probes, RestartBackoff.DOCKER.delay(consecutive).plus(s.restartTakes));
        }
    }

    /** Kills every running replica from outside, as {@code docker kill} does: exit 137, no restart by the policy. */
    void kill(Box box) {
        for (Replica r : box.replicas) {
            if (r.running()) {
                r.stoppedOnPurpose = true;
                r.state = ObservedNode.State.EXITED;
                r.exitCode = OptionalInt.of(137);
                r.run++;
                box.events.report(new Fact.Exited(box.key, r.index, 137, tail(r)));
            }
        }
    }

    static List<String> tail(Replica r) {
        int from = Math.max(0, r.output.size() - Launch.LOG_TAIL_LINES);
        return List.copyOf(r.output.subList(from, r.output.size()));
    }

    static String describe(Node node) {
        HealthCheck.Probe p = node.container().healthCheck().map(HealthCheck::probe).orElse(null);
        if (p instanceof HealthCheck.Command c) {
            return "command " + String.join(" ", c.argv());
        } else if (p instanceof HealthCheck.Http h) {
            return "GET :" + h.port() + h.path();
        } else if (p instanceof HealthCheck.Tcp t) {
            return "connect :" + t.port();
        }
        return "probe";
    }

    /** The aggregate state of a box, as {@code observe} reports it. */
    static ObservedNode observed(Box b, Instant now) {
        boolean anyRunning = b.replicas.stream().anyMatch(Replica::running);
        // the script's probes are the platform's facts; whether they make the node healthy is core's one rule
        List<ObservedNode.ReplicaHealth> running = b.replicas.stream().filter(Replica::running)
                .map(r -> new ObservedNode.ReplicaHealth(r.state == ObservedNode.State.HEALTHY
                        ? ObservedNode.ReplicaHealth.Health.PASSING : r.state == ObservedNode.State.UNHEALTHY
                        ? ObservedNode.ReplicaHealth.Health.FAILING : ObservedNode.ReplicaHealth.Health.UNKNOWN,
                        Optional.ofNullable(r.startedAt))).toList();
        Optional<HealthCheck> check = b.node instanceof Service ? b.node.container().healthCheck()
                .filter(h -> !(h.probe() instanceof HealthCheck.LogLine)) : Optional.empty();
        boolean allCreated = b.replicas.stream().allMatch(r -> r.state == ObservedNode.State.CREATED);
        OptionalInt exit = OptionalInt.empty();
        for (Replica r : b.replicas) {
            if (r.exitCode.isPresent() && (exit.isEmpty() || exit.getAsInt() == 0)) {
                exit = r.exitCode;
            }
        }
        ObservedNode.State state = anyRunning ? ObservedNode.runningState(check, running, b.replicas.size(), now)
                : allCreated && !b.replicas.isEmpty() ? ObservedNode.State.CREATED
                : b.replicas.isEmpty() ? ObservedNode.State.RUNNING : ObservedNode.State.EXITED;
        return new ObservedNode(b.key, b.hash, state, anyRunning ? OptionalInt.empty() : exit,
                b.replicas.size());
    }

    /**
     * Stops (or removes) {@code box}, the containers of {@code node}: a process that wants longer than the grace
     * period is killed at its end, as SIGKILL would (exit 137), else it exits by the signal (143).
     */
    void stop(Map<String, Box> boxes, String node, Box box, StopMode mode, Duration wants,
              NodeEvents events) {
        boolean killed = mode.gracePeriod().isZero() || wants.compareTo(mode.gracePeriod()) > 0;
        Duration takes = killed ? mode.gracePeriod() : wants;
        if (box != null) {
            box.replicas.forEach(r -> {
                r.run++;
                r.stoppedOnPurpose = true;
            });
        }
        sim.at(takes, () -> {
            if (box != null) {
                if (mode.remove()) {
                    boxes.remove(node, box);
                } else {
                    box.replicas.forEach(r -> {
                        if (r.running() || r.state == ObservedNode.State.CREATED) {
                            r.state = ObservedNode.State.EXITED;
                            r.exitCode = OptionalInt.of(killed ? 137 : 143);
                        }
                    });
                }
            }
            events.report(new Fact.Stopped(node));
        });
    }
}
