package dev.ordo.bench;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.Plan;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validation and planning of a random DAG with ~3 edges per node ({@link RandomDag}). The node definitions are made
 * in setup; {@link #validateAndPlan} measures {@code build()} (all validation) followed by {@code plan()},
 * {@link #validate} the first alone and {@link #plan} the second alone on a deployment built in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlanBenchmark {
    @Param({"1000", "10000", "100000"})
    public int nodes;

    private List<Node> definitions;
    private Deployment deployment;

    @Setup(Level.Trial)
    public void setUp() {
        definitions = RandomDag.nodes(nodes);
        deployment = RandomDag.builder(definitions).build();
        Plan plan = deployment.plan();
        if (plan.size() != nodes) {
            throw new IllegalStateException("planned " + plan.size() + " of " + nodes + " nodes");
        }
    }

    /** build() (validation) then plan(): the figure the target is about. */
    @Benchmark
    public Plan validateAndPlan() {
        return RandomDag.builder(definitions).build().plan();
    }

    /** build() alone: every validation rule, cycle detection included. */
    @Benchmark
    public Deployment validate() {
        return RandomDag.builder(definitions).build();
    }

    /** plan() alone, on a deployment validated in setup. */
    @Benchmark
    public Plan plan() {
        return deployment.plan();
    }
}
