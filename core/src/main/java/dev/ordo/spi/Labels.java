package dev.ordo.spi;

/**
 * The label (Kubernetes: label or annotation) keys Ordo puts on every resource it creates. A backend never
 * modifies or removes a resource that lacks {@link #DEPLOYMENT}.
 *
 * <pre>{@code
 * Map<String, String> labels = Map.of(Labels.DEPLOYMENT, "clp", Labels.NODE, "webui");
 * }</pre>
 */
public final class Labels {
    /** The deployment's name. */
    public static final String DEPLOYMENT = "dev.ordo.deployment";
    /** The node's name. */
    public static final String NODE = "dev.ordo.node";
    /** The replica's index, from 1. */
    public static final String REPLICA = "dev.ordo.replica";
    /** The node's {@link dev.ordo.Node#configHash()}. */
    public static final String CONFIG_HASH = "dev.ordo.config-hash";
    /** The id of the triggered run a step's containers belong to; absent on start-up nodes. */
    public static final String RUN = "dev.ordo.run";
    /**
     * The session that created the resource (one per backend instance): a reaper removes what a session that died
     * without releasing it created.
     */
    public static final String SESSION = "dev.ordo.session";
    /** The node kind, {@code service} or {@code job}. */
    public static final String KIND = "dev.ordo.kind";

    private Labels() {
    }
}
