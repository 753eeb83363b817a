package dev.ordo.internal;

import dev.ordo.Deployment;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A validated deployment's nodes as numbers, computed once by the {@link Validator} and reused by every plan:
 * {@code index} maps a name to its declaration index, and {@code deps[i][k]} is the index of the target of
 * {@code nodes().get(i).dependencies().get(k)}. Arrays are shared, never modified.
 */
public final class Topology {
    private static volatile Function<Deployment, Topology> access;

    private final Map<String, Integer> index;
    private final int[][] deps;

    Topology(Map<String, Integer> index, int[][] deps) {
        this.index = index;
        this.deps = deps;
    }

    /** Name to declaration index. */
    public Map<String, Integer> index() {
        return index;
    }

    /** Dependency target indices, aligned with each node's {@code dependencies()}. Do not modify. */
    public int[][] deps() {
        return deps;
    }

    /**
     * Lets {@link Deployment} hand its topology to the planner without a public accessor on the API type; it
     * registers itself from its static initialiser.
     */
    public static synchronized void register(Function<Deployment, Topology> deploymentAccess) {
        Objects.requireNonNull(deploymentAccess, "deploymentAccess == null");
        if (access != null) {
            throw new IllegalStateException("Topology access is registered by Deployment alone, once");
        }
        access = deploymentAccess;
    }

    /** The topology of a built deployment. */
    public static Topology of(Deployment deployment) {
        // the deployment exists, so its class (and so the registration) is initialised
        return access.apply(deployment);
    }
}
