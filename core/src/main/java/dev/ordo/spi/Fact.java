package dev.ordo.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Something a backend observed: the only thing a backend tells the engine. Facts say what happened on the
 * platform, never what it means: whether a node is ready, crashed, restarted, unhealthy or timed out is decided by
 * core, by the same rules on every backend. Replicas are numbered from 1.
 *
 * <pre>{@code
 * events.report(new Fact.Started("database", 1, false));
 * events.report(new Fact.Probed("database", 1, true, "exit code 0", Duration.ofMillis(20)));
 * events.report(new Fact.Exited("db-table-creator", 1, 3, List.of("ERROR: table exists")));
 * }</pre>
 */
public sealed interface Fact permits Fact.Started, Fact.Probed, Fact.Liveness, Fact.LivenessKilled, Fact.Exited,
        Fact.RestartPending, Fact.Output, Fact.Refused, Fact.Stopped, Fact.Unreachable {
    /** The node (or a run step's key) the fact is about; empty for {@link Unreachable}, which is about a platform. */
    String node();

    /**
     * A replica's process runs: its first start, a running container kept from an earlier run ({@code reused}), or
     * the platform bringing it back after an exit (its restart policy).
     */
    record Started(String node, int replica, boolean reused) implements Fact {
        public Started {
            Objects.requireNonNull(node, "node == null");
        }
    }

    /**
     * One health probe of a replica, run when {@link ProbeSchedule} says. A backend reports every pass and at least
     * the first failure after a start or a pass.
     *
     * @param output           what the probe said (exit code and output, HTTP status, connection error)
     * @param detectionLatency for a pass: how long after the check turned true this report was made, when the
     *                         backend can tell; {@link Duration#ZERO} otherwise
     */
    record Probed(String node, int replica, boolean passed, String output, Duration detectionLatency)
            implements Fact {
        public Probed {
            Objects.requireNonNull(node, "node == null");
            output = output == null ? "" : output;
            detectionLatency = detectionLatency == null || detectionLatency.isNegative() ? Duration.ZERO
                    : detectionLatency;
        }
    }

    /**
     * One liveness probe of a replica (a service's {@code liveness} check), for a backend whose platform does not
     * act on liveness itself: it probes from the check's start period after each start, then every interval, and
     * reports each result. Core counts them and, when the rule says so, asks {@link ReplicaRestarts#restart} to
     * restart the replica. A platform that counts liveness failures and restarts by itself (the kubelet) reports
     * {@link LivenessKilled} instead: the platform's verdict, as what it is.
     *
     * @param output what the probe said
     */
    record Liveness(String node, int replica, boolean passed, String output) implements Fact {
        public Liveness {
            Objects.requireNonNull(node, "node == null");
            output = output == null ? "" : output;
        }
    }

    /**
     * The platform killed a replica because its liveness check failed, by the platform's own count (the kubelet
     * and a pod's {@code livenessProbe}): the {@link Exited} that follows is that kill, and the platform starts the
     * replica again whatever its restart policy. It is the platform's verdict, reported as such, so that no backend
     * needs core's thresholds; a backend whose platform does not act on liveness reports {@link Liveness} probes and
     * core decides. Core counts the restart as any other.
     *
     * <pre>{@code
     * events.report(new Fact.LivenessKilled("api", 1, "Liveness probe failed: HTTP probe failed with statuscode: 500"));
     * }</pre>
     *
     * @param output what the platform said of the failing probe
     */
    record LivenessKilled(String node, int replica, String output) implements Fact {
        public LivenessKilled {
            Objects.requireNonNull(node, "node == null");
            output = output == null ? "" : output;
        }
    }

    /**
     * A replica's process ended by itself or was killed from outside (not by a stop the engine asked for).
     *
     * @param logTail its last lines of output, oldest first, at most {@link Launch#LOG_TAIL_LINES}
     */
    record Exited(String node, int replica, int exitCode, List<String> logTail) implements Fact {
        public Exited {
            Objects.requireNonNull(node, "node == null");
            logTail = logTail == null ? List.of() : List.copyOf(logTail);
        }
    }

    /**
     * The platform has taken up the restart of a replica that just {@link Exited} (Docker's {@code Restarting}
     * state): it will start it again after its backoff, however long it then takes on a loaded host. Without this
     * fact core waits for a restart only for the platform's {@link RestartBackoff backoff} plus
     * {@link RestartBackoff#SLACK}; with it, for the backoff plus {@link RestartBackoff#PENDING_SLACK}. A backend
     * that cannot tell reports nothing.
     */
    record RestartPending(String node, int replica) implements Fact {
        public RestartPending {
            Objects.requireNonNull(node, "node == null");
        }
    }

    /** One line a replica printed (stdout or stderr), in the order printed. */
    record Output(String node, int replica, String line) implements Fact {
        public Output {
            Objects.requireNonNull(node, "node == null");
            line = line == null ? "" : line;
        }
    }

    /**
     * The node could not be run at all: image missing and not pullable, a name taken by a foreign resource, the
     * platform refusing the definition. {@code reason} names the node, the cause and the fix.
     */
    record Refused(String node, String reason) implements Fact {
        public Refused {
            Objects.requireNonNull(node, "node == null");
            Objects.requireNonNull(reason, "reason == null");
        }
    }

    /** The node's containers stopped (and were removed, if the stop asked for it), after {@code Backend.stop}. */
    record Stopped(String node) implements Fact {
        public Stopped {
            Objects.requireNonNull(node, "node == null");
        }
    }

    /**
     * The platform itself does not answer (the Docker engine, the Kubernetes API server). No node is at fault.
     *
     * @param platform what does not answer and where, e.g. {@code the Docker engine at unix:///var/run/docker.sock}
     * @param detail   what the backend saw, e.g. {@code connection refused}
     * @param fix      what to do, e.g. {@code start dockerd (scripts/ensure-docker.sh), then run up again}
     */
    record Unreachable(String platform, String detail, String fix) implements Fact {
        public Unreachable {
            Objects.requireNonNull(platform, "platform == null");
            detail = detail == null ? "" : detail;
            fix = fix == null ? "" : fix;
        }

        /** Empty: the whole platform stopped answering, not one node. */
        @Override
        public String node() {
            return "";
        }
    }
}
