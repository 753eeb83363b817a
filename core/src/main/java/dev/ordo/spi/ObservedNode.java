package dev.ordo.spi;

import dev.ordo.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a backend found of one node: the basis for idempotent {@code up}, {@code status} and {@code down}.
 *
 * <pre>{@code
 * backend.observe(deployment).forEach(o -> System.out.println(o.node() + " " + o.state()));
 * }</pre>
 *
 * @param node       the node name from the resources' labels
 * @param configHash the configuration hash from the labels
 * @param state      the aggregate state of its replicas
 * @param exitCode   the exit code, when {@link State#EXITED}
 * @param replicas   how many containers (pods) exist
 */
public record ObservedNode(String node, String configHash, State state, OptionalInt exitCode, int replicas) {
    /** Aggregate states of a node's containers. */
    public enum State {
        /** Created but never started. */
        CREATED,
        /** Running, with no health check or health not yet known. */
        RUNNING,
        /** Running and passing its health check. */
        HEALTHY,
        /** Running and failing its health check. */
        UNHEALTHY,
        /** Exited (a job's final state, or a stopped or crashed service). */
        EXITED
    }

    public ObservedNode {
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(configHash, "configHash == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(exitCode, "exitCode == null");
    }

    /**
     * What the platform says of one running replica's health, and since when it runs: facts for
     * {@link #runningState}, which decides. {@code startedAt} is empty when the platform does not say.
     */
    public record ReplicaHealth(Health health, Optional<Instant> startedAt) {
        /** What the platform's own probe of the replica last said. */
        public enum Health {
            /** It passed (Docker: {@code (healthy)}; Kubernetes: the pod is Ready). */
            PASSING,
            /** The platform judged it failing by its own count (Docker: {@code (unhealthy)}). */
            FAILING,
            /** Not known yet: still starting, not probed yet, or a platform that only says "not ready". */
            UNKNOWN
        }

        public ReplicaHealth {
            Objects.requireNonNull(health, "health == null");
            Objects.requireNonNull(startedAt, "startedAt == null");
        }
    }

    /**
     * The state of a node whose replicas run, by core's one rule for every backend: without a health check the
     * platform probes, {@link State#RUNNING}; with one, {@link State#UNHEALTHY} when the platform says a replica fails
     * or a replica has not passed within {@link HealthCheck#unhealthyAfter()} of its start (the rule core applies
     * while it runs the node), {@link State#HEALTHY} when all {@code wanted} replicas pass, else {@link State#RUNNING}
     * (still starting).
     *
     * <pre>{@code
     * ObservedNode.runningState(check, List.of(new ReplicaHealth(Health.UNKNOWN, Optional.of(startedAt))), 1, now);
     * }</pre>
     *
     * @param check the node's health check, when the platform probes it (empty: it does not, e.g. a log-line check)
     */
    public static State runningState(Optional<HealthCheck> check, List<ReplicaHealth> running, int wanted,
                                     Instant now) {
        if (check.isEmpty()) {
            return State.RUNNING;
        }
        Duration budget = check.get().unhealthyAfter();
        boolean allPassing = running.size() >= wanted;
        for (ReplicaHealth r : running) {
            if (r.health() == ReplicaHealth.Health.FAILING) {
                return State.UNHEALTHY;
            }
            if (r.health() != ReplicaHealth.Health.PASSING) {
                allPassing = false;
                if (r.startedAt().filter(t -> !t.plus(budget).isAfter(now)).isPresent()) {
                    return State.UNHEALTHY;
                }
            }
        }
        return allPassing && !running.isEmpty() ? State.HEALTHY : State.RUNNING;
    }

    /** Whether the node's containers run. */
    public boolean isRunning() {
        return state == State.RUNNING || state == State.HEALTHY || state == State.UNHEALTHY;
    }
}
