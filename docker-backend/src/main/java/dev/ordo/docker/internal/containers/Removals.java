package dev.ordo.docker.internal.containers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container removals that run in the background, by {@code deployment/key}: a stopped node's dependencies need not
 * wait for dockerd's clean-up (it removes containers about one at a time), but whatever looks at the node next
 * (observe, release, a new start, a staging) waits for its removal first.
 *
 * <pre>{@code
 * removals.add("clp/webui", () -> ids.forEach(containers::remove));
 * removals.awaitAll("clp");
 * }</pre>
 */
public final class Removals {
    private static final Logger LOG = LoggerFactory.getLogger(Removals.class);
    private final ExecutorService pool;
    private final Map<String, Future<?>> pending = new ConcurrentHashMap<>();

    public Removals(ExecutorService pool) {
        this.pool = pool;
    }

    /** Runs {@code removal} after whatever removal of {@code key} is pending. */
    public void add(String key, Runnable removal) {
        pending.compute(key, (k, previous) -> pool.submit(() -> {
            if (previous != null) {
                awaitQuietly(previous);
            }
            removal.run();
        }));
    }

    /** Whether a removal of {@code key}'s containers is still under way. */
    boolean pending(String key) {
        Future<?> f = pending.get(key);
        return f != null && !f.isDone();
    }

    /** The pending removal of {@code key}, no longer tracked here (the caller waits for it), or null. */
    public Future<?> take(String key) {
        return pending.remove(key);
    }

    /** Waits for the removals of {@code deployment}'s containers. */
    public void awaitAll(String deployment) {
        pending.forEach((key, f) -> {
            if (key.startsWith(deployment + "/")) {
                awaitQuietly(f);
                pending.remove(key, f);
            }
        });
    }

    /** Waits for every removal (closing must not leave stopped containers behind). */
    public void awaitAll() {
        pending.values().forEach(Removals::awaitQuietly);
    }

    public static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("background container removal failed", e.getCause());
        }
    }
}
