package dev.ordo.spi;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Service;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's request to a backend to run one node, with everything core decided about it: whether to keep its
 * running containers or create new ones, which attempt of a job this is, how urgent it is, and when to probe it.
 *
 * <pre>{@code
 * backend.start(Launch.create(deployment, deployment.requireNode("webui")), events);
 * }</pre>
 *
 * @param deployment the deployment the node belongs to
 * @param node       the node to run
 * @param mode       keep running containers, or create new ones
 * @param attempt    the attempt of a job, from 1 (core runs a job's retries as new attempts); 1 for a service
 * @param priority   how long the longest chain of nodes waiting on this one is (0: nothing waits on it); a backend
 *                   that must queue starts serves the highest first
 * @param probes     when to probe the node's health check; empty without a probing check (none, or a log line:
 *                   core matches the {@link Fact.Output} lines itself)
 * @param run        for a step of a triggered run, the run's id: its containers carry it (label
 *                   {@link Labels#RUN}, and in their names) so that runs of the same job never share a container,
 *                   and its facts name the node by {@link #key()}
 */
public record Launch(Deployment deployment, Node node, Mode mode, int attempt, int priority,
                     Optional<ProbeSchedule> probes, Optional<String> run) {
    /** The most output lines a backend reports in {@link Fact.Exited#logTail()}, and core keeps in a failure. */
    public static final int LOG_TAIL_LINES = 50;

    /** What to do with containers of the node that exist already. */
    public enum Mode {
        /**
         * Core saw them running with the node's configuration (the hash a backend reports in
         * {@link ObservedNode#configHash()}, which says what it would run the node as): keep them, report
         * {@link Fact.Started} with {@code reused} for each replica and probe them. Whether they are current is core's
         * decision, made once; a backend does not compare hashes again. If they are gone or no longer all running
         * by now, create them.
         */
        KEEP,
        /** Remove whatever exists of the node and create its replicas anew. */
        CREATE
    }

    /** A launch of a start-up node (no run id). */
    public Launch(Deployment deployment, Node node, Mode mode, int attempt, int priority,
                  Optional<ProbeSchedule> probes) {
        this(deployment, node, mode, attempt, priority, probes, Optional.empty());
    }

    public Launch {
        Objects.requireNonNull(run, "run == null");
        Objects.requireNonNull(deployment, "deployment == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(mode, "mode == null");
        Objects.requireNonNull(probes, "probes == null");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, got " + attempt);
        }
    }

    /** A first attempt that creates {@code node}'s containers, probed as its health check says. */
    public static Launch create(Deployment deployment, Node node) {
        return new Launch(deployment, node, Mode.CREATE, 1, 0, probesOf(node));
    }

    /** The probe schedule of a service's health check, unless it has none or it is a log-line check. */
    public static Optional<ProbeSchedule> probesOf(Node node) {
        if (!(node instanceof Service)) {
            return Optional.empty();
        }
        return node.container().healthCheck()
                .filter(h -> !(h.probe() instanceof HealthCheck.LogLine))
                .map(ProbeSchedule::of);
    }

    /**
     * How facts of this launch name the node, and how {@code Backend.stop} names it later: the node's name, or for a
     * step of a triggered run {@code node@run} (e.g. {@code loader@r7}).
     */
    public String key() {
        return keyOf(node.name(), run);
    }

    /** The key of node {@code node} in run {@code run} (see {@link #key()}). */
    public static String keyOf(String node, Optional<String> run) {
        return run.map(r -> node + "@" + r).orElse(node);
    }

    /** Whether existing containers are to be replaced. */
    public boolean recreates() {
        return mode == Mode.CREATE;
    }
}
