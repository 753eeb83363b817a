package dev.ordo.spi;

import java.time.Duration;
import java.util.List;

/**
 * Where a backend reports the {@link Fact facts} it observes. The engine implements it; calls may come from any
 * thread and return at once. Facts of one node must be reported in the order they happened.
 *
 * <pre>{@code
 * events.started("database", 1, false);
 * events.probed("database", 1, true, "exit code 0", Duration.ofMillis(20));
 * }</pre>
 */
public interface NodeEvents {
    /** Reports one fact. */
    void report(Fact fact);

    /** Reports {@link Fact.Started}. */
    default void started(String node, int replica, boolean reused) {
        report(new Fact.Started(node, replica, reused));
    }

    /** Reports {@link Fact.Probed}. */
    default void probed(String node, int replica, boolean passed, String output, Duration detectionLatency) {
        report(new Fact.Probed(node, replica, passed, output, detectionLatency));
    }

    /** Reports {@link Fact.Liveness}. */
    default void liveness(String node, int replica, boolean passed, String output) {
        report(new Fact.Liveness(node, replica, passed, output));
    }

    /** Reports {@link Fact.Exited}. */
    default void exited(String node, int replica, int exitCode, List<String> logTail) {
        report(new Fact.Exited(node, replica, exitCode, logTail));
    }

    /** Reports {@link Fact.RestartPending}. */
    default void restartPending(String node, int replica) {
        report(new Fact.RestartPending(node, replica));
    }

    /** Reports {@link Fact.Output}. */
    default void output(String node, int replica, String line) {
        report(new Fact.Output(node, replica, line));
    }

    /** Reports {@link Fact.Refused}. */
    default void refused(String node, String reason) {
        report(new Fact.Refused(node, reason));
    }

    /** Reports {@link Fact.Stopped}. */
    default void stopped(String node) {
        report(new Fact.Stopped(node));
    }

    /** Reports {@link Fact.Unreachable}. */
    default void unreachable(String platform, String detail, String fix) {
        report(new Fact.Unreachable(platform, detail, fix));
    }
}
