package dev.ordo.docker.internal;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.Node;
import dev.ordo.spi.Launch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers created ahead of their start, while the node's dependencies are still starting (core's
 * {@code Backend.stage}), so that only the start itself remains on the critical path when the node's conditions
 * hold. Nothing staged runs: containers are created, never started, until core starts the same launch. Staging is
 * an optimisation only: it happens on a clean slate (no container of the node exists, its image is on the engine and
 * is not rebuilt at every start, no removal pending), and when anything is off it stages nothing and the start does
 * the whole work, reporting whatever is wrong.
 *
 * <pre>{@code
 * staging.stage(launch, effective);          // while the dependencies start
 * List<String> ids = staging.take(launch, effective); // at the start: created containers, or none
 * }</pre>
 */
final class Staging {
    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

    /** The containers being created for one launch, and the configuration they were created with. */
    private record Staged(String effectiveHash, Future<List<String>> ids) {
    }

    private final DockerRuntime rt;
    private final Map<String, Staged> staged = new ConcurrentHashMap<>();

    Staging(DockerRuntime rt) {
        this.rt = rt;
    }

    private static String key(Launch launch) {
        return launch.deployment().name() + "/" + launch.key();
    }

    /** Starts creating {@code launch}'s containers in the background, unless something is in the way. */
    void stage(Launch launch, Node effective) {
        if (launch.mode() != Launch.Mode.CREATE || launch.attempt() != 1 || rt.removals.pending(key(launch))) {
            return;
        }
        Future<List<String>> ids = rt.pool.submit(() -> create(launch, effective));
        Staged previous = staged.put(key(launch), new Staged(effective.configHash(), ids));
        if (previous != null) {
            discard(key(launch), previous);
        }
    }

    private List<String> create(Launch launch, Node effective) {
        List<String> ids = new ArrayList<>();
        try {
            if (!rt.containersOf(launch.deployment().name(), launch.node().name(), launch.run()).isEmpty()) {
                return ids; // the start decides what becomes of them
            }
            ContainerSpec spec = new ContainerSpec(rt, launch, effective);
            if (!spec.imagePresent() || effective.container().build()
                    .filter(b -> b.policy() == dev.ordo.Build.Policy.ALWAYS).isPresent()) {
                // a pull or a build reports its progress as the node's output: that belongs to the start, and a
                // build made at every start must come before its containers
                return ids;
            }
            spec.checkNameClash();
            for (int i = 1; i <= effective.replicas(); i++) {
                ids.add(spec.create(i));
            }
            return ids;
        } catch (RuntimeException e) {
            // The start meets the same problem and reports it with the fix; nothing half-made stays behind.
            LOG.debug("staging {} failed; its start will do the work", launch.key(), e);
            ids.forEach(this::removeQuietly);
            return List.of();
        }
    }

    /**
     * The containers staged for {@code launch}, created (not started) with exactly {@code effective}'s
     * configuration, one per replica in replica order; empty when nothing usable was staged (whatever was is
     * removed). Waits for a creation still under way.
     */
    List<String> take(Launch launch, Node effective) {
        Staged s = staged.remove(key(launch));
        if (s == null) {
            return List.of();
        }
        List<String> ids = await(s.ids());
        if (launch.mode() == Launch.Mode.CREATE && launch.attempt() == 1
                && s.effectiveHash().equals(effective.configHash()) && ids.size() == effective.replicas()) {
            return ids;
        }
        ids.forEach(this::removeQuietly);
        return List.of();
    }

    /** Core will not start {@code launch}: its staged containers are removed (observe and release wait for it). */
    void unstage(Launch launch) {
        Staged s = staged.remove(key(launch));
        if (s != null) {
            discard(key(launch), s);
        }
    }

    /** Removes whatever is still staged for {@code deployment} (its up ended). */
    void unstageAll(String deployment) {
        staged.forEach((key, s) -> {
            if (key.startsWith(deployment + "/") && staged.remove(key, s)) {
                discard(key, s);
            }
        });
    }

    private void discard(String key, Staged s) {
        rt.removals.add(key, () -> await(s.ids()).forEach(this::removeQuietly));
    }

    private void removeQuietly(String id) {
        try {
            rt.removeQuietly(id);
        } catch (NotFoundException gone) {
            // already gone
        } catch (RuntimeException e) {
            LOG.debug("removing staged container {} failed; down or the next up removes it", id, e);
        }
    }

    private static List<String> await(Future<List<String>> ids) {
        try {
            return ids.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException e) {
            return List.of();
        }
    }
}
