package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.Build;
import dev.ordo.docker.internal.images.ImageSupply;
import dev.ordo.spi.Launch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers created ahead of their start, while the node's dependencies are still starting (core's
 * {@code dev.ordo.spi.Staging#stage}), so that only the start itself remains on the critical path when the node's conditions
 * hold. Nothing staged runs: containers are created, never started, until core starts the same launch. Staging is
 * an optimisation only: it happens on a clean slate (no container of the node exists, its image is on the engine and
 * is not rebuilt at every start, no removal pending), and when anything is off it stages nothing and the start does
 * the whole work, reporting whatever is wrong.
 *
 * <pre>{@code
 * staging.stage(spec);                 // while the dependencies start
 * List<String> ids = staging.take(spec);  // at the start: created containers, or none
 * }</pre>
 */
public final class Staging {
    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

    /** The containers being created for one launch, and the configuration they were created with. */
    private record Staged(String effectiveHash, Future<List<String>> ids) {
    }

    private final ContainerMaker maker;
    private final Containers containers;
    private final ImageSupply images;
    private final Removals removals;
    private final ExecutorService pool;
    private final Map<String, Staged> staged = new ConcurrentHashMap<>();

    public Staging(ContainerMaker maker, Containers containers, ImageSupply images, Removals removals,
                   ExecutorService pool) {
        this.maker = maker;
        this.containers = containers;
        this.images = images;
        this.removals = removals;
        this.pool = pool;
    }

    private static String key(Launch launch) {
        return launch.deployment().name() + "/" + launch.key();
    }

    /** Starts creating {@code spec}'s containers in the background, unless something is in the way. */
    public void stage(ContainerSpec spec) {
        Launch launch = spec.launch();
        if (launch.mode() != Launch.Mode.CREATE || launch.attempt() != 1 || removals.pending(key(launch))) {
            return;
        }
        Future<List<String>> ids = pool.submit(() -> create(spec));
        Staged previous = staged.put(key(launch), new Staged(spec.effective().configHash(), ids));
        if (previous != null) {
            discard(key(launch), previous);
        }
    }

    private List<String> create(ContainerSpec spec) {
        Launch launch = spec.launch();
        List<String> ids = new ArrayList<>();
        try {
            if (!containers.ofNode(spec.deployment(), spec.node(), launch.run()).isEmpty()) {
                return ids; // the start decides what becomes of them
            }
            if (!images.present(spec.image()) || spec.effective().container().build()
                    .filter(b -> b.policy() == Build.Policy.ALWAYS).isPresent()) {
                // a pull or a build reports its progress as the node's output: that belongs to the start, and a
                // build made at every start must come before its containers
                return ids;
            }
            maker.checkNameClash(spec);
            for (int i = 1; i <= spec.effective().replicas(); i++) {
                ids.add(maker.create(spec, i));
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
     * The containers staged for {@code spec}'s launch, created (not started) with exactly its configuration, one per
     * replica in replica order; empty when nothing usable was staged (whatever was is removed). Waits for a creation
     * still under way.
     */
    List<String> take(ContainerSpec spec) {
        Launch launch = spec.launch();
        Staged s = staged.remove(key(launch));
        if (s == null) {
            return List.of();
        }
        List<String> ids = await(s.ids());
        if (launch.mode() == Launch.Mode.CREATE && launch.attempt() == 1
                && s.effectiveHash().equals(spec.effective().configHash()) && ids.size() == spec.effective().replicas()) {
            return ids;
        }
        ids.forEach(this::removeQuietly);
        return List.of();
    }

    /** Core will not start {@code launch}: its staged containers are removed (observe and release wait for it). */
    public void unstage(Launch launch) {
        Staged s = staged.remove(key(launch));
        if (s != null) {
            discard(key(launch), s);
        }
    }

    /** Removes whatever is still staged for {@code deployment} (its up ended). */
    public void unstageAll(String deployment) {
        staged.forEach((key, s) -> {
            if (key.startsWith(deployment + "/") && staged.remove(key, s)) {
                discard(key, s);
            }
        });
    }

    private void discard(String key, Staged s) {
        removals.add(key, () -> await(s.ids()).forEach(this::removeQuietly));
    }

    private void removeQuietly(String id) {
        try {
            containers.remove(id);
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
