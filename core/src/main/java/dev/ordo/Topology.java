package dev.ordo;

import java.util.Map;

/**
 * A validated deployment's nodes as numbers, computed once by the {@link Validator} and reused by every plan:
 * {@code index} maps a name to its declaration index, and {@code deps[i][k]} is the index of the target of
 * {@code nodes().get(i).dependencies().get(k)}. Arrays are shared, never modified.
 */
final class Topology {
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
}
