package dev.ordo.run;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a run, for progress output.
 *
 * <pre>{@code
 * RunListener printer = e -> System.out.printf("%8s %-10s %s %s%n", e.at(), e.type(), e.node(), e.detail());
 * }</pre>
 *
 * @param type   what happened
 * @param node   the node it happened to: a node's name, a triggered run's step as {@code node@run}, or for trigger
 *               and pool events the trigger's or pool's name
 * @param at     offset from the run's start
 * @param detail extra words (exit code, reason, log line); may be empty
 */
public record RunEvent(Type type, String node, Duration at, String detail) {
    /** What happened. */
    public enum Type {
        /** The node's conditions hold but its pool is full: it waits for a slot. */
        WAITING_FOR_POOL,
        /** The engine asked the backend to start the node. */
        STARTING,
        /** Running containers with an unchanged configuration were kept. */
        KEPT,
        /** The node's containers run. */
        STARTED,
        /** The node's health check passes. */
        HEALTHY,
        /** The node's health check fails. */
        UNHEALTHY,
        /** A job exited with code 0. */
        COMPLETED,
        /** The node failed. */
        FAILED,
        /** The node will not start. */
        SKIPPED,
        /** A service exited and its restart policy asks for a restart; a job failed and is retried. */
        RESTARTING,
        /** The platform brought a service's exited process back (its restart policy did). */
        RESTARTED,
        /** The engine asked the backend to stop the node. */
        STOPPING,
        /** The node stopped (and was removed, if asked). */
        STOPPED,
        /** One line of the node's output. */
        LOG,
        /** A trigger fired (node = the trigger; detail: the run's id and the instant it was due). */
        FIRED,
        /** A fire was skipped: a run of the same trigger or concurrency key was going (overlap SKIP). */
        FIRE_SKIPPED,
        /** A fire waits for the running run of the same trigger or concurrency key to end (overlap QUEUE). */
        RUN_QUEUED,
        /** A triggered run started (node = the trigger; detail: the run's id and steps). */
        RUN_STARTED,
        /** A triggered run ended with every step completed. */
        RUN_SUCCEEDED,
        /** A triggered run ended with a failed or skipped step, or was cancelled or replaced. */
        RUN_FAILED,
        /** A pool was resized at run time (node = the pool). */
        POOL_RESIZED,
        /**
         * A scheduled fire was due while no one held the living deployment (node = the trigger; detail: its due
         * instant and whether it runs now, as the trigger's catch-up policy says).
         */
        FIRE_MISSED;

        /**
         * The state a node is in once this event is told of it, in the words of {@link NodeState}, the one
         * vocabulary of node states: {@code STARTED}, {@code KEPT} and {@code RESTARTED} reach
         * {@link NodeState#STARTED}, {@code HEALTHY}, {@code UNHEALTHY}, {@code COMPLETED}, {@code FAILED} and
         * {@code SKIPPED} their namesakes. Empty for events that change no node's state (a log line, a request, a
         * trigger's or a pool's event), and for {@code STOPPED}, which is {@link NodeState#STOPPED} or
         * {@link NodeState#REMOVED} as the operation asked.
         *
         * <pre>{@code
         * RunListener states = e -> e.type().reaches().ifPresent(s -> System.out.println(e.node() + " " + s));
         * }</pre>
         */
        public Optional<NodeState> reaches() {
            return Optional.ofNullable(switch (this) {
                case STARTED, KEPT, RESTARTED -> NodeState.STARTED;
                case HEALTHY -> NodeState.HEALTHY;
                case UNHEALTHY -> NodeState.UNHEALTHY;
                case COMPLETED -> NodeState.COMPLETED;
                case FAILED -> NodeState.FAILED;
                case SKIPPED -> NodeState.SKIPPED;
                default -> null;
            });
        }
    }

    public RunEvent {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(detail, "detail == null");
    }
}
