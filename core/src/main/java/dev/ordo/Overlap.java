package dev.ordo;

/**
 * What a trigger does when it fires while an earlier run it started (or, with a concurrency key, any run with the
 * same key) is still going. Kubernetes CronJobs name three of these {@code Forbid}, {@code Replace} and
 * {@code Allow}.
 *
 * <pre>{@code
 * .trigger("backup-addresses", t -> t.target("backup").cron("0 2 * * *").overlap(Overlap.SKIP))
 * }</pre>
 */
public enum Overlap {
    /** The fire is skipped and reported as a skip (Kubernetes {@code Forbid}). The default. */
    SKIP,
    /** The run waits until the running one ends, then starts; runs are never dropped. */
    QUEUE,
    /** The running run is stopped and a new one starts (Kubernetes {@code Replace}). */
    REPLACE,
    /** The new run starts alongside (Kubernetes {@code Allow}). */
    ALLOW
}
