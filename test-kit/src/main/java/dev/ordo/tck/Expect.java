package dev.ordo.tck;

import dev.ordo.run.Failure;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.util.Optional;

/**
 * The contract's own checks, each failing with the report rendered, so that a backend author sees what ran.
 *
 * <pre>{@code
 * Expect.that(report, report.node("db").restarts() >= 1, "db restarted");
 * }</pre>
 */
public final class Expect {
    private Expect() {
    }

    /** Fails with {@code what} and the report unless {@code condition}. */
    public static void that(RunReport report, boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected: " + what + "\n" + report.render());
        }
    }

    /** Fails unless {@code node}'s failure says {@code text}. */
    public static void says(RunReport report, String node, String text) {
        String message = report.node(node).failure().map(Failure::message).orElse("(no failure)");
        that(report, message.contains(text), "the failure of '" + node + "' to say '" + text + "', but it says: "
                + message);
    }

    /** Fails unless {@code node}'s failure carries exit code {@code code}. */
    public static void exitCode(RunReport report, String node, int code) {
        NodeTimeline t = report.node(node);
        int seen = t.failure().flatMap(f -> f.exitCode().isPresent() ? Optional.of(f.exitCode().getAsInt())
                : Optional.empty()).orElse(t.exitCode().orElse(Integer.MIN_VALUE));
        that(report, seen == code, "'" + node + "' to have exit code " + code + ", it has "
                + (seen == Integer.MIN_VALUE ? "none" : seen));
    }

    /** Fails unless {@code later} happened at or after {@code earlier}. */
    public static void notBefore(RunReport report, Duration later, Duration earlier, String what) {
        that(report, later.compareTo(earlier) >= 0, what + " (" + later + " is before " + earlier + ")");
    }
}
