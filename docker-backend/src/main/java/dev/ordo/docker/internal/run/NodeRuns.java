package dev.ordo.docker.internal.run;

import dev.ordo.Deployment;
import dev.ordo.docker.internal.containers.ContainerSpec;
import dev.ordo.docker.internal.containers.LaunchContainers;
import dev.ordo.docker.internal.containers.Removals;
import dev.ordo.docker.internal.engine.EngineWatch;
import dev.ordo.docker.internal.engine.EventHub;
import dev.ordo.docker.internal.logs.ContainerLogs;
import dev.ordo.docker.internal.probe.Probers;
import dev.ordo.spi.NodeEvents;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The node runs on one engine, by {@code deployment/key}: a new launch of a node replaces (quiets) the previous one,
 * and starts once the previous containers' removal is done, since the new ones take their names.
 *
 * <pre>{@code
 * runs.start(new LaunchContainers(spec, engine, containers, maker, staging, stopper, images), events);
 * runs.restart("shop", "api", 1);
 * runs.end("shop", "api");
 * }</pre>
 */
public final class NodeRuns {
    private final EventHub hub;
    private final EngineWatch watch;
    private final Removals removals;
    private final ContainerLogs logs;
    private final Probers probers;
    private final ExecutorService pool;
    private final Map<String, NodeRun> runs = new ConcurrentHashMap<>();

    public NodeRuns(EventHub hub, EngineWatch watch, Removals removals, ContainerLogs logs, Probers probers,
                    ExecutorService pool) {
        this.hub = hub;
        this.watch = watch;
        this.removals = removals;
        this.logs = logs;
        this.probers = probers;
        this.pool = pool;
    }

    /**
     * Starts the launch whose containers {@code launched} are, reporting to {@code events}; it replaces the node's
     * previous run.
     */
    public void start(LaunchContainers launched, NodeEvents events) {
        ContainerSpec spec = launched.spec();
        String key = spec.deployment() + "/" + spec.launch().key();
        NodeRun run = new NodeRun(spec.launch(), spec.effective(), events, launched, hub, watch, logs, probers, pool);
        NodeRun previous = runs.put(key, run);
        if (previous != null) {
            previous.quiet();
        }
        Future<?> removing = removals.take(key);
        if (removing == null) {
            run.begin();
        } else {
            // the new containers take the old ones' names: let the removal finish first
            pool.execute(() -> {
                Removals.awaitQuietly(removing);
                run.begin();
            });
        }
    }

    /** Restarts replica {@code replica} of the node running as {@code key}, if this engine runs it. */
    public void restart(String deployment, String key, int replica) {
        NodeRun run = runs.get(deployment + "/" + key);
        if (run != null) {
            run.restart(replica);
        }
    }

    /** No more facts from the run of {@code key}: it is being stopped. */
    public void end(String deployment, String key) {
        NodeRun run = runs.remove(deployment + "/" + key);
        if (run != null) {
            run.quiet();
        }
    }

    /** No more facts from any run of {@code d}: core detached from it. */
    public void detach(Deployment d) {
        runs.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(d.name() + "/")) {
                e.getValue().quiet();
                return true;
            }
            return false;
        });
    }

    /** Where the current runs' facts go: those told when the engine is lost. */
    public Set<NodeEvents> listening() {
        Set<NodeEvents> sinks = Collections.newSetFromMap(new IdentityHashMap<>());
        runs.values().forEach(r -> sinks.add(r.events()));
        return sinks;
    }

    /** Quiets every run (the engine's connection closes). */
    public void quietAll() {
        runs.values().forEach(NodeRun::quiet);
    }
}
