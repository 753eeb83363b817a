package dev.ordo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;
import org.junit.jupiter.api.Test;

/** The array-backed graph view must behave, for JGraphT's algorithms, exactly like JGraphT's own graph. */
class IntGraphProperties {
    /** Vertex {@code i} gets up to three edges from random vertices; {@code cyclic} allows any vertex, not just earlier. */
    private static int[][] random(long seed, int n, boolean cyclic) {
        Random r = new Random(seed);
        int[][] into = new int[n][];
        for (int i = 0; i < n; i++) {
            int bound = cyclic ? n : i;
            Set<Integer> from = new HashSet<>();
            for (int k = 0; k < 3 && bound > 0; k++) {
                int f = r.nextInt(bound);
                if (f != i) {
                    from.add(f);
                }
            }
            into[i] = from.stream().mapToInt(Integer::intValue).toArray();
        }
        return into;
    }

    private static Graph<Integer, DefaultEdge> reference(int[][] into) {
        Graph<Integer, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
        for (int i = 0; i < into.length; i++) {
            g.addVertex(i);
        }
        for (int i = 0; i < into.length; i++) {
            for (int f : into[i]) {
                g.addEdge(f, i);
            }
        }
        return g;
    }

    private static <E> List<Integer> order(Graph<Integer, E> g) {
        List<Integer> out = new ArrayList<>();
        new TopologicalOrderIterator<>(g, Integer::compare).forEachRemaining(out::add);
        return out;
    }

    @Property(tries = 200)
    void topologicalOrderMatchesJGraphTsOwnGraph(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int n) {
        int[][] into = random(seed, n, false);
        assertThat(order(new IntGraph(into))).isEqualTo(order(reference(into)));
    }

    @Property(tries = 200)
    void degreesAndEdgesMatch(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int n) {
        int[][] into = random(seed, n, true);
        IntGraph g = new IntGraph(into);
        Graph<Integer, DefaultEdge> ref = reference(into);
        assertThat(g.vertexSet()).isEqualTo(ref.vertexSet());
        assertThat(g.edgeSet()).hasSize(ref.edgeSet().size());
        for (int v = 0; v < n; v++) {
            assertThat(g.inDegreeOf(v)).isEqualTo(ref.inDegreeOf(v));
            assertThat(g.outDegreeOf(v)).isEqualTo(ref.outDegreeOf(v));
            for (Integer e : g.outgoingEdgesOf(v)) {
                assertThat(g.getEdgeSource(e)).isEqualTo(v);
                assertThat(ref.containsEdge(v, g.getEdgeTarget(e))).isTrue();
                assertThat(g.getEdge(v, g.getEdgeTarget(e))).isEqualTo(e);
            }
            for (Integer e : g.incomingEdgesOf(v)) {
                assertThat(g.getEdgeTarget(e)).isEqualTo(v);
            }
        }
    }

    @Property(tries = 100)
    void stronglyConnectedComponentsMatch(@ForAll long seed, @ForAll @IntRange(min = 1, max = 150) int n) {
        int[][] into = random(seed, n, true);
        Set<Set<Integer>> mine = new HashSet<>(new KosarajuStrongConnectivityInspector<>(new IntGraph(into))
                .stronglyConnectedSets());
        Set<Set<Integer>> theirs = new HashSet<>(new KosarajuStrongConnectivityInspector<>(reference(into))
                .stronglyConnectedSets());
        assertThat(mine).isEqualTo(theirs);
    }

    @Test
    void isReadOnly() {
        IntGraph g = new IntGraph(new int[][] {{}, {0}});
        assertThatThrownBy(() -> g.addVertex(2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> g.addEdge(1, 0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> g.removeVertex(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(g.getEdge(0, 1)).isEqualTo(0);
        assertThat(g.getEdge(1, 0)).isNull();
        assertThat(g.getEdge(0, 7)).isNull();
    }
}
