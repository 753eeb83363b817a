package dev.ordo.run;

import java.util.List;

/**
 * A job exited with a non-zero code, so its dependents never started.
 *
 * <pre>{@code
 * catch (JobFailedException e) { log.error("{} exited {}: {}", e.node(), e.exitCode(), e.logTail()); }
 * }</pre>
 */
public final class JobFailedException extends RunFailedException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final int exitCode;
    private final List<String> logTail;

    JobFailedException(String message, RunReport report, String node, Failure failure) {
        super(message, report);
        this.node = node;
        this.exitCode = failure.exitCode().orElse(-1);
        this.logTail = failure.logTail();
    }

    /** The job that failed. */
    public String node() {
        return node;
    }

    /** Its exit code. */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines of its output, oldest first. */
    public List<String> logTail() {
        return logTail;
    }
}
