package dev.ordo.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * The graph algorithms of validation and planning. Vertices are indices into a name list; {@code deps[i]} holds
 * the indices node {@code i} depends on. JGraphT does the ordering and the strongly-connected components.
 */
public final class Graphs {
    private Graphs() {
    }

    /** A graph whose edges run from dependency to dependent, so that its topological order is a start order. */
    static Graph<Integer, Integer> graph(int[][] deps) {
        return new IntGraph(deps);
    }

    /**
     * A start order of {@code deps}' vertices (dependencies first, declaration order among equals).
     *
     * @throws IllegalArgumentException when the graph has a cycle (validation rules that out first)
     */
    public static int[] topologicalOrder(int[][] deps) {
        Graph<Integer, Integer> g = graph(deps);
        TopologicalOrderIterator<Integer, Integer> it =
                new TopologicalOrderIterator<>(g, Integer::compare);
        int[] order = new int[deps.length];
        int k = 0;
        while (it.hasNext()) {
            order[k++] = it.next();
        }
        return order;
    }

    /** One cycle (as names, in dependency direction) per strongly-connected component that has one. */
    public static List<List<String>> cycles(List<String> names, int[][] deps) {
        BitSet cyclic = unsortable(deps);
        List<List<String>> cycles = new ArrayList<>();
        if (cyclic.isEmpty()) {
            return cycles;
        }
        int[][] sub = new int[deps.length][];
        for (int i = 0; i < deps.length; i++) {
            sub[i] = cyclic.get(i) ? Arrays.stream(deps[i]).filter(cyclic::get).toArray() : new int[0];
        }
        Graph<Integer, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
        cyclic.stream().forEach(g::addVertex);
        cyclic.stream().forEach(i -> {
            for (int d : sub[i]) {
                g.addEdge(i, d);
            }
        });
        List<Set<Integer>> components = new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets();
        components.sort(Comparator.comparing(c -> c.stream().min(Integer::compare).orElse(0)));
        for (Set<Integer> component : components) {
            if (component.size() < 2) {
                continue;
            }
            cycles.add(walk(names, sub, component));
        }
        return cycles;
    }

    /** Follows dependencies inside one strongly-connected component until a vertex repeats. */
    private static List<String> walk(List<String> names, int[][] deps, Set<Integer> component) {
        int start = component.stream().min(Integer::compare).orElseThrow();
        List<Integer> path = new ArrayList<>();
        Map<Integer, Integer> position = new HashMap<>();
        int v = start;
        while (!position.containsKey(v)) {
            position.put(v, path.size());
            path.add(v);
            int next = -1;
            for (int d : deps[v]) {
                if (component.contains(d)) {
                    next = d;
                    break;
                }
            }
            v = next;
        }
        List<String> cycle = new ArrayList<>();
        for (int i = position.get(v); i < path.size(); i++) {
            cycle.add(names.get(path.get(i)));
        }
        return cycle;
    }

    /** The vertices Kahn's algorithm cannot order: those on or downstream of a cycle. */
    private static BitSet unsortable(int[][] deps) {
        int n = deps.length;
        int[] pending = new int[n];
        int[][] dependents = invert(deps);
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            pending[i] = deps[i].length;
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        BitSet left = new BitSet(n);
        left.set(0, n);
        while (!ready.isEmpty()) {
            int v = ready.poll();
            left.clear(v);
            for (int w : dependents[v]) {
                if (--pending[w] == 0) {
                    ready.add(w);
                }
            }
        }
        return left;
    }

    /**
     * The nodes reachable from {@code starts} along {@code deps} (breadth first, iterative so that a long chain
     * cannot overflow the stack); the starts themselves are included only when a path leads back to them.
     */
    public static BitSet reachable(int[][] deps, int... starts) {
        BitSet seen = new BitSet(deps.length);
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        for (int s : starts) {
            todo.add(s);
        }
        while (!todo.isEmpty()) {
            for (int d : deps[todo.poll()]) {
                if (!seen.get(d)) {
                    seen.set(d);
                    todo.add(d);
                }
            }
        }
        return seen;
    }

    /** {@code result[d]} lists the vertices that depend on {@code d}. */
    public static int[][] invert(int[][] deps) {
        int n = deps.length;
        int[] counts = new int[n];
        for (int[] ds : deps) {
            for (int d : ds) {
                counts[d]++;
            }
        }
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new int[counts[i]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            for (int d : deps[i]) {
                out[d][fill[d]++] = i;
            }
        }
        return out;
    }
}
