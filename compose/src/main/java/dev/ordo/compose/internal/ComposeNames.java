package dev.ordo.compose.internal;

/**
 * Names Ordo gives its own data in a compose file: the label that marks a job, and the extension key.
 *
 * <pre>{@code
 * labels: { dev.ordo.kind: job }
 * }</pre>
 */
public final class ComposeNames {
    /** A service label that declares the service a job (run to completion), as on export. */
    public static final String KIND_LABEL = "dev.ordo.kind";
    /** The extension key Ordo reads and writes what Compose has no key for. */
    public static final String EXTENSION = "x-ordo";

    private ComposeNames() {
    }
}
