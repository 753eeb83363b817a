package dev.ordo.run;

/**
 * How {@code down} tears a deployment down.
 *
 * <pre>{@code
 * orchestrator.down(deployment, DownOptions.defaults().removeVolumes(true));
 * }</pre>
 *
 * @param removeVolumes whether named volumes (their data) are removed too
 */
public record DownOptions(boolean removeVolumes) {
    /** Remove containers and the network; keep volumes. */
    public static DownOptions defaults() {
        return new DownOptions(false);
    }

    /** These options, removing volumes or not. */
    public DownOptions removeVolumes(boolean remove) {
        return new DownOptions(remove);
    }
}
