package dev.ordo.tck;

import dev.ordo.Deployment;
import dev.ordo.spi.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The backend contract (TCK): the same scenarios, with the same assertions, on every backend. A backend's test
 * extends this class and says how to make its platform behave as a {@link Script} says and how to reach behind
 * Ordo's back (kill a container, plant a foreign resource, read a file in a container). Core decides every verdict;
 * this suite pins that each backend reports the facts that let it decide the same way.
 *
 * <p>Each scenario is one dynamic test named after what it checks. A scenario a backend cannot support is reported
 * as skipped, with the reason in its name (see {@link #unsupported}), never silently.
 *
 * <pre>{@code
 * class SimulatedBackendContractTest extends BackendContract {
 *     protected Backend backend(Scripts scripts) { return Sims.scripted(scripts); }
 *     ...
 * }
 * }</pre>
 */
public abstract class BackendContract {
    /** A resource planted to clash with a node's, made without Ordo's labels. */
    public interface Foreign {
        /** Whether it is still there (Ordo must never touch it). */
        boolean exists();

        /** Removes it. */
        void remove();
    }

    /** A fresh backend on which each scripted node behaves as its {@link Script} says. */
    protected abstract Backend backend(Scripts scripts);

    /**
     * Kills {@code node}'s running containers from outside, as {@code docker kill} does: the process gets SIGKILL
     * (exit code 137) and the platform does not restart it whatever its restart policy. Called from a run listener
     * while {@code up} goes on; it may act asynchronously.
     */
    protected abstract void kill(Backend backend, Deployment deployment, String node);

    /** Creates a resource that takes the name {@code node}'s first container (workload) would get. */
    protected abstract Foreign plantForeign(Backend backend, Deployment deployment, String node);

    /** Whether the platform holds named volume {@code volume} of {@code deployment}. */
    protected abstract boolean volumeExists(Backend backend, Deployment deployment, String volume);

    /** The content of file {@code path} in {@code node}'s first running container, if it can be read. */
    protected abstract Optional<String> readFile(Backend backend, Deployment deployment, String node, String path);

    /**
     * Creates volume {@code name} on the platform as its user would, outside Ordo (no Ordo labels), for the external
     * volume scenario; removed after it. Backends that cannot, report that scenario as unsupported.
     */
    protected Foreign plantVolume(Backend backend, String name) {
        throw new UnsupportedOperationException("this backend's contract test cannot create a volume outside Ordo");
    }

    /** Makes the platform stop answering while a run goes on; only backends that can are asked. */
    protected void disconnect(Backend backend) {
        throw new UnsupportedOperationException("this backend's contract test cannot disconnect its platform");
    }

    /**
     * Why this backend cannot run the scenario named {@code scenario}, or empty when it can. The reason is shown in
     * the skipped test's name.
     */
    protected Optional<String> unsupported(String scenario) {
        return Optional.empty();
    }

    /** Who counts a service's liveness failures and decides its restart. */
    public enum LivenessJudge {
        /** Core, from the backend's {@code Fact.Liveness} probes (Docker, simulated). */
        CORE,
        /** The platform itself (the kubelet), reported as {@code Fact.LivenessKilled}. */
        PLATFORM
    }

    /** Who decides this backend's liveness restarts; the liveness scenario holds each to its own wording. */
    protected LivenessJudge livenessJudge() {
        return LivenessJudge.CORE;
    }

    /** The per-node timeout of every scenario's runs. */
    protected Duration timeout() {
        return Duration.ofSeconds(60);
    }

    /** What every deployment name of this contract run starts with. */
    protected String namePrefix() {
        return "tck";
    }

    /** Every scenario of the contract, in a stable order. */
    public static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>(LifecycleScenarios.all());
        all.addAll(StateScenarios.all());
        all.addAll(ComposeShapeScenarios.all());
        all.addAll(LivingScenarios.all());
        return all;
    }

    /**
     * Runs every scenario, or with system property {@code ordo.tck.only} only those whose name contains its value
     * (e.g. {@code -Dordo.tck.only=living:} while working on one part of a backend).
     */
    @TestFactory
    Stream<DynamicTest> contract() {
        String only = System.getProperty("ordo.tck.only", "");
        return scenarios().stream().filter(s -> s.name().contains(only)).map(s -> {
            Optional<String> why = unsupported(s.name());
            if (why.isPresent()) {
                return DynamicTest.dynamicTest(s.name() + " [skipped: " + why.get() + "]",
                        () -> Assumptions.abort(why.get()));
            }
            return DynamicTest.dynamicTest(s.name(), () -> {
                try (Trial t = new Trial(this, namePrefix() + "-" + Integer.toString(scenarios().indexOf(s) + 1))) {
                    s.body().run(t);
                }
            });
        });
    }
}
