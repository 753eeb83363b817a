package dev.ordo.internal;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import org.jgrapht.GraphType;
import org.jgrapht.graph.AbstractGraph;
import org.jgrapht.graph.DefaultGraphType;

/**
 * A read-only JGraphT graph over int arrays (compressed sparse rows): vertices {@code 0..n-1}, edge {@code e} runs
 * from {@code source[e]} to {@code target[e]}. JGraphT's general-purpose graphs keep a hash map per vertex and an
 * object per edge, which made building a 100k-node plan cost half a second; this view costs two passes over the
 * arrays and lets JGraphT's algorithms run unchanged.
 */
final class IntGraph extends AbstractGraph<Integer, Integer> {
    private static final GraphType TYPE = new DefaultGraphType.Builder().directed().allowMultipleEdges(true)
            .allowSelfLoops(true).weighted(false).modifiable(false).build();

    private final int n;
    private final int[] source;
    private final int[] target;
    private final int[] outStart;
    private final int[] outEdges;
    private final int[] inStart;

    /** Edges run from each of {@code into[i]} to {@code i}. */
    IntGraph(int[][] into) {
        n = into.length;
        int m = 0;
        for (int[] from : into) {
            m += from.length;
        }
        source = new int[m];
        target = new int[m];
        inStart = new int[n + 1];
        int e = 0;
        for (int i = 0; i < n; i++) {
            inStart[i] = e;
            for (int from : into[i]) {
                source[e] = from;
                target[e] = i;
                e++;
            }
        }
        inStart[n] = m;
        outStart = new int[n + 1];
        for (int k = 0; k < m; k++) {
            outStart[source[k] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            outStart[i + 1] += outStart[i];
        }
        outEdges = new int[m];
        int[] fill = Arrays.copyOf(outStart, n);
        for (int k = 0; k < m; k++) {
            outEdges[fill[source[k]]++] = k;
        }
    }

    /** {@code ids[from..to)} as a set, or the numbers {@code from..to-1} themselves when {@code ids} is null. */
    private static Set<Integer> range(int[] ids, int from, int to) {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public Iterator<Integer> iterator() {
                return new Iterator<>() {
                    private int i = from;

                    @Override
                    public boolean hasNext() {
                        return i < to;
                    }

                    @Override
                    public Integer next() {
                        if (i >= to) {
                            throw new NoSuchElementException();
                        }
                        return ids == null ? i++ : ids[i++];
                    }
                };
            }
        };
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("IntGraph is read-only");
    }

    @Override
    public Set<Integer> getAllEdges(Integer s, Integer t) {
        Set<Integer> out = new LinkedHashSet<>();
        if (containsVertex(s) && containsVertex(t)) {
            for (int k = outStart[s]; k < outStart[s + 1]; k++) {
                if (target[outEdges[k]] == t) {
                    out.add(outEdges[k]);
                }
            }
        }
        return out;
    }

    @Override
    public Integer getEdge(Integer s, Integer t) {
        if (containsVertex(s) && containsVertex(t)) {
            for (int k = outStart[s]; k < outStart[s + 1]; k++) {
                if (target[outEdges[k]] == t) {
                    return outEdges[k];
                }
            }
        }
        return null;
    }

    @Override
    public Supplier<Integer> getVertexSupplier() {
        return null;
    }

    @Override
    public Supplier<Integer> getEdgeSupplier() {
        return null;
    }

    @Override
    public Integer addEdge(Integer s, Integer t) {
        throw readOnly();
    }

    @Override
    public boolean addEdge(Integer s, Integer t, Integer e) {
        throw readOnly();
    }

    @Override
    public Integer addVertex() {
        throw readOnly();
    }

    @Override
    public boolean addVertex(Integer v) {
        throw readOnly();
    }

    @Override
    public boolean containsEdge(Integer e) {
        return e != null && e >= 0 && e < source.length;
    }

    @Override
    public boolean containsVertex(Integer v) {
        return v != null && v >= 0 && v < n;
    }

    @Override
    public Set<Integer> edgeSet() {
        return range(null, 0, source.length);
    }

    @Override
    public int degreeOf(Integer v) {
        return inDegreeOf(v) + outDegreeOf(v);
    }

    @Override
    public Set<Integer> edgesOf(Integer v) {
        Set<Integer> all = new LinkedHashSet<>(incomingEdgesOf(v));
        all.addAll(outgoingEdgesOf(v));
        return all;
    }

    @Override
    public int inDegreeOf(Integer v) {
        return inStart[v + 1] - inStart[v];
    }

    @Override
    public Set<Integer> incomingEdgesOf(Integer v) {
        // incoming edges of v are numbered contiguously, so the ids are the positions themselves
        return range(null, inStart[v], inStart[v + 1]);
    }

    @Override
    public int outDegreeOf(Integer v) {
        return outStart[v + 1] - outStart[v];
    }

    @Override
    public Set<Integer> outgoingEdgesOf(Integer v) {
        return range(outEdges, outStart[v], outStart[v + 1]);
    }

    @Override
    public Integer removeEdge(Integer s, Integer t) {
        throw readOnly();
    }

    @Override
    public boolean removeEdge(Integer e) {
        throw readOnly();
    }

    @Override
    public boolean removeVertex(Integer v) {
        throw readOnly();
    }

    @Override
    public Set<Integer> vertexSet() {
        return range(null, 0, n);
    }

    @Override
    public Integer getEdgeSource(Integer e) {
        return source[e];
    }

    @Override
    public Integer getEdgeTarget(Integer e) {
        return target[e];
    }

    @Override
    public GraphType getType() {
        return TYPE;
    }

    @Override
    public double getEdgeWeight(Integer e) {
        return 1.0;
    }

    @Override
    public void setEdgeWeight(Integer e, double weight) {
        throw readOnly();
    }
}
