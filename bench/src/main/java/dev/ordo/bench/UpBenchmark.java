package dev.ordo.bench;

import dev.ordo.Plan;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.SimulatedBackend;
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
 * A whole {@code up} of a planned random DAG ({@link RandomDag}) through the real engine on a fresh
 * {@link SimulatedBackend} per invocation (virtual time: services become healthy at their first probe, jobs exit 0
 * at once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UpBenchmark {
    @Param({"10000"})
    public int nodes;

    private Plan plan;

    @Setup(Level.Trial)
    public void setUp() {
        plan = RandomDag.builder(RandomDag.nodes(nodes)).build().plan();
        RunReport report = Orchestrator.using(SimulatedBackend.create()).up(plan);
        if (!report.succeeded() || report.nodes().size() != nodes) {
            throw new IllegalStateException("simulated up failed: " + report.failures());
        }
    }

    /** A simulated up of every node, from an empty backend. */
    @Benchmark
    public RunReport simulatedUp() {
        return Orchestrator.using(SimulatedBackend.create()).up(plan);
    }
}
