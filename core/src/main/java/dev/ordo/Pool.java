package dev.ordo;

import java.util.Objects;

/**
 * A named concurrency limit, like an Airflow pool: at most {@code slots} of its members run at once. A member
 * holds a slot from the moment it is started until it stops (a job: until it exits). A pool with 0 slots is
 * drained: nothing new of it starts until it is resized.
 *
 * <pre>{@code
 * Deployment.builder("clp").pool("compression", 2)
 *     .job("compress-a", j -> j.image("clp:main").pool("compression"))
 * }</pre>
 *
 * @param name  the pool's name, a DNS-1123 label
 * @param slots how many members may run at once, 0 or more
 */
public record Pool(String name, int slots) {
    public Pool {
        Objects.requireNonNull(name, "name == null");
    }

    /** Whether nothing new of this pool may start. */
    public boolean isDrained() {
        return slots == 0;
    }
}
