package dev.ordo.bench;

import dev.ordo.Deployment;
import dev.ordo.Node;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A plain timing breakdown of validate + plan, phase by phase, outside JMH: a quick way to see which phase grows
 * faster than the others. Run: {@code java -cp bench/target/benchmarks.jar dev.ordo.bench.Breakdown [sizes...]}.
 */
public final class Breakdown {
    private Breakdown() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 100_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("%8s %12s %12s %12s %12s%n", "nodes", "build()", "plan()", "kahnTopo", "build+plan");
        for (int size : sizes) {
            List<Node> nodes = RandomDag.nodes(size);
            int[][] deps = deps(nodes);
            int reps = Math.max(5, 2_000_000 / size);
            Deployment d = RandomDag.builder(nodes).build();
            // warm up every phase on this size, then measure
            for (int round = 0; round < 2; round++) {
                long b = time(reps, () -> RandomDag.builder(nodes).build());
                long p = time(reps, d::plan);
                long k = time(reps, () -> kahn(deps));
                long bp = time(reps, () -> RandomDag.builder(nodes).build().plan());
                if (round == 1) {
                    System.out.printf("%8d %9.2f ms %9.2f ms %9.2f ms %9.2f ms  (%.0f ns/node)%n",
                            size, b / 1e6, p / 1e6, k / 1e6, bp / 1e6, (double) bp / size);
                }
            }
            if (kahn(deps).length != d.plan().nodes().size()) {
                throw new IllegalStateException("kahn order misses nodes of the plan");
            }
        }
    }

    /** Mean nanoseconds per call of {@code task}. */
    private static long time(int reps, Runnable task) {
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            task.run();
        }
        return (System.nanoTime() - start) / reps;
    }

    static int[][] deps(List<Node> nodes) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
        }
        int[][] deps = new int[nodes.size()][];
        for (int i = 0; i < deps.length; i++) {
            deps[i] = nodes.get(i).dependencies().stream().mapToInt(x -> index.get(x.target())).toArray();
        }
        return deps;
    }

    /**
     * Kahn's algorithm on the int arrays with a min-heap of ready vertices: the same order as JGraphT's
     * {@code TopologicalOrderIterator(g, Integer::compare)} (smallest ready index first), without building a graph.
     */
    static int[] kahn(int[][] deps) {
        int n = deps.length;
        int[][] dependents = new int[n][];
        int[] count = new int[n];
        for (int[] ds : deps) {
            for (int t : ds) {
                count[t]++;
            }
        }
        for (int i = 0; i < n; i++) {
            dependents[i] = new int[count[i]];
            count[i] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int t : deps[i]) {
                dependents[t][count[t]++] = i;
            }
        }
        int[] pending = new int[n];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            pending[i] = deps[i].length;
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            order[k++] = v;
            for (int w : dependents[v]) {
                if (--pending[w] == 0) {
                    ready.add(w);
                }
            }
        }
        if (k != n) {
            throw new IllegalArgumentException("cycle");
        }
        return order;
    }
}
