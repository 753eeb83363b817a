package dev.ordo.run;

/**
 * A run ended because the platform stopped answering (the Docker engine died, the Kubernetes API server went away);
 * no node is at fault. The message names the platform, its address and what to do; the next {@code up} converges.
 *
 * <pre>{@code
 * catch (PlatformUnreachableException e) { log.error("engine down: {}", e.getMessage()); }
 * }</pre>
 */
public final class PlatformUnreachableException extends RunFailedException {
    private static final long serialVersionUID = 1L;

    PlatformUnreachableException(String message, RunReport report) {
        super(message, report);
    }
}
