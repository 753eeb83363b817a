package dev.ordo.run;

/**
 * A service did not become healthy: its health check failed too often, or it was not ready in time.
 *
 * <pre>{@code
 * catch (ReadinessTimeoutException e) { log.error("{} not ready: {}", e.node(), e.lastHealthOutput()); }
 * }</pre>
 */
public final class ReadinessTimeoutException extends RunFailedException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final String lastHealthOutput;

    ReadinessTimeoutException(String message, RunReport report, String node, Failure failure) {
        super(message, report);
        this.node = node;
        this.lastHealthOutput = failure.logTail().isEmpty() ? "" : failure.logTail().get(failure.logTail().size() - 1);
    }

    /** The service that was not ready. */
    public String node() {
        return node;
    }

    /** The last health probe's output, or empty when none was observed. */
    public String lastHealthOutput() {
        return lastHealthOutput;
    }
}
