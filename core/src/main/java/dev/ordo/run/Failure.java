package dev.ordo.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why a node failed or never started, as data: a reason, a sentence for people, and the evidence.
 *
 * <pre>{@code
 * report.node("db-table-creator").failure().ifPresent(f -> {
 *     System.err.println(f.message());
 *     f.logTail().forEach(System.err::println);
 * });
 * }</pre>
 *
 * @param reason   the kind of failure
 * @param message  a sentence naming the node, what happened and, where there is one, the fix
 * @param exitCode the process's exit code, when it exited
 * @param logTail  the last lines of the node's output (at most 50), oldest first
 * @param cause    for a node that never started, the failed node that stopped it
 */
public record Failure(Reason reason, String message, OptionalInt exitCode, List<String> logTail,
                      Optional<String> cause) {
    /** Kinds of failure. */
    public enum Reason {
        /** A job exited with a non-zero code. */
        JOB_FAILED,
        /**
         * A service's process exited and its restart policy did not bring it back: the policy does not restart
         * after that exit, or the platform did not restart it within its backoff (killed from outside).
         */
        CRASHED,
        /**
         * A service's health check did not pass within its start period plus {@code retries} intervals of its
         * start, or, once it had passed, failed {@code retries} times in a row.
         */
        UNHEALTHY,
        /** A node was not ready (or a job not done) within its time limit. */
        TIMEOUT,
        /** The backend could not run the node (image missing, name clash, platform refusal). */
        START_FAILED,
        /** The node waits on a node that failed. */
        DEPENDENCY_FAILED,
        /** The run stopped scheduling after another node failed. */
        NOT_SCHEDULED,
        /** The node's pool has no free slot and none will be freed. */
        POOL_BLOCKED,
        /** The node did not stop within its grace period plus a margin. */
        STOP_FAILED,
        /**
         * The platform (Docker engine, Kubernetes API server) stopped answering: the run's own failure, and the
         * reason every node it interrupted carries. No node is at fault.
         */
        PLATFORM_UNREACHABLE
    }

    public Failure {
        Objects.requireNonNull(reason, "reason == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(exitCode, "exitCode == null");
        logTail = List.copyOf(logTail);
        Objects.requireNonNull(cause, "cause == null");
    }

    /** A failure with no exit code, output or cause. */
    public static Failure of(Reason reason, String message) {
        return new Failure(reason, message, OptionalInt.empty(), List.of(), Optional.empty());
    }

    /** A failure caused by another node's. */
    public static Failure because(Reason reason, String message, String cause) {
        return new Failure(reason, message, OptionalInt.empty(), List.of(), Optional.of(cause));
    }
}
