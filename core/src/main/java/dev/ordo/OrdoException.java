package dev.ordo;

/**
 * Root of every unchecked exception Ordo throws on purpose.
 *
 * <p>Catch it to handle any Ordo failure in one place:
 * <pre>{@code
 * try {
 *     Orchestrator.using(backend).up(plan).throwIfFailed();
 * } catch (OrdoException e) {
 *     log.error("deployment failed: {}", e.getMessage());
 * }
 * }</pre>
 */
public class OrdoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OrdoException(String message) {
        super(message);
    }

    public OrdoException(String message, Throwable cause) {
        super(message, cause);
    }
}
