package dev.ordo.bench;

import dev.ordo.Condition;
import dev.ordo.Container;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.RestartPolicy;
import dev.ordo.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A reproducible random DAG of nodes for the benchmarks: node {@code i} depends on up to {@link #EDGES_PER_NODE}
 * distinct earlier nodes chosen uniformly (so there is never a cycle); about 70% are services with a TCP health
 * check and 30% jobs; each edge's condition fits its target's kind (a service: HEALTHY or STARTED; a job:
 * COMPLETED_SUCCESSFULLY or STARTED), so validation passes.
 */
public final class RandomDag {
    /** Dependencies per node, except for the first few nodes, which have fewer earlier nodes to choose from. */
    public static final int EDGES_PER_NODE = 3;
    /** The seed every benchmark uses. */
    public static final long SEED = 20261123L;

    private RandomDag() {
    }

    /** {@code size} node definitions in declaration order. */
    public static List<Node> nodes(int size) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Node> nodes = new ArrayList<>(size);
        boolean[] isJob = new boolean[size];
        for (int i = 0; i < size; i++) {
            isJob[i] = random.nextInt(10) < 3;
            String name = name(i);
            int want = Math.min(EDGES_PER_NODE, i);
            List<Dependency> deps = new ArrayList<>(want);
            int[] chosen = new int[want];
            int count = 0;
            while (count < want) {
                int t = random.nextInt(i);
                boolean dup = false;
                for (int c = 0; c < count; c++) {
                    dup |= chosen[c] == t;
                }
                if (dup) {
                    continue;
                }
                chosen[count++] = t;
                boolean started = random.nextInt(4) == 0;
                Condition condition = started ? Condition.STARTED
                        : isJob[t] ? Condition.COMPLETED_SUCCESSFULLY : Condition.HEALTHY;
                deps.add(Dependency.on(name(t), condition));
            }
            if (isJob[i]) {
                Container c = new Container("bench/job:1", List.of("run", name), List.of(), Map.of(), List.of(),
                        List.of(), Optional.empty(), List.of(), Container.DEFAULT_STOP_GRACE_PERIOD, "");
                nodes.add(new Job(name, c, 0, Optional.empty(), Optional.empty(), deps, java.util.Set.of(),
                        Optional.empty(), Map.of()));
            } else {
                HealthCheck check = HealthCheck.tcp(8080).interval(Duration.ofSeconds(1));
                Container c = new Container("bench/service:1", List.of(), List.of(), Map.of("NODE", name),
                        List.of(), List.of(), Optional.of(check), List.of(), Container.DEFAULT_STOP_GRACE_PERIOD, "");
                nodes.add(new Service(name, c, 1, RestartPolicy.NO, deps, java.util.Set.of(), Optional.empty(),
                        Map.of()));
            }
        }
        return nodes;
    }

    /** A deployment builder holding {@code nodes}; {@code build()} on it validates them. */
    public static Deployment.Builder builder(List<Node> nodes) {
        Deployment.Builder b = Deployment.builder("bench");
        for (Node n : nodes) {
            b.node(n);
        }
        return b;
    }

    static String name(int i) {
        return "n" + i;
    }
}
