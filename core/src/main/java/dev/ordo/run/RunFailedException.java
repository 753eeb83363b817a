package dev.ordo.run;

import dev.ordo.OrdoException;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A run did not reach its goal; the {@link #report()} says what ran, what failed and why, and what never started.
 *
 * <pre>{@code
 * try {
 *     orchestrator.up(plan).throwIfFailed();
 * } catch (JobFailedException e) {
 *     System.err.println(e.node() + " exited with " + e.exitCode());
 * } catch (RunFailedException e) {
 *     System.err.println(e.report().render());
 * }
 * }</pre>
 */
public class RunFailedException extends OrdoException {
    private static final long serialVersionUID = 1L;

    private final transient RunReport report;

    RunFailedException(String message, RunReport report) {
        super(message);
        this.report = report;
    }

    /** The report of the failed run. */
    public RunReport report() {
        return report;
    }

    static RunFailedException of(RunReport report) {
        if (report.error().isPresent()) {
            Failure e = report.error().get();
            return e.reason() == Failure.Reason.PLATFORM_UNREACHABLE
                    ? new PlatformUnreachableException(e.message(), report) : new RunFailedException(e.message(), report);
        }
        String summary = report.failures().stream()
                .map(t -> "  - " + t.node() + ": " + t.failure().map(Failure::message).orElse(t.state().name()))
                .collect(Collectors.joining("\n", report.operation().name().toLowerCase(Locale.ROOT) + " of '"
                        + report.deployment() + "' failed:\n", ""));
        NodeTimeline first = report.rootFailures().isEmpty() ? null : report.rootFailures().get(0);
        Failure f = first == null ? null : first.failure().orElse(null);
        if (f != null && f.reason() == Failure.Reason.JOB_FAILED) {
            return new JobFailedException(summary, report, first.node(), f);
        }
        if (f != null && (f.reason() == Failure.Reason.TIMEOUT || f.reason() == Failure.Reason.UNHEALTHY)) {
            return new ReadinessTimeoutException(summary, report, first.node(), f);
        }
        return new RunFailedException(summary, report);
    }
}
