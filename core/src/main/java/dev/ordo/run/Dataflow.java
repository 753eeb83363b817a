package dev.ordo.run;

import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import dev.ordo.spi.Backend;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The seam between this package's API and the dataflow engine that carries it out. The engine lives in a package of
 * its own and depends on this one's values (reports, events, failures); this package reaches it through
 * {@link ServiceLoader} so that no package cycle ties the two. Not for users: call {@link Orchestrator} and
 * {@link LiveDeployment}, which check their arguments and hand over here.
 *
 * <pre>{@code
 * RunReport report = Dataflow.installed().up(backend, options, plan);
 * }</pre>
 */
public interface Dataflow {
    /** What an {@link Orchestrator} was configured with. */
    record Options(RunListener listener, FailurePolicy failurePolicy, Duration timeout, boolean rerunJobs,
                   boolean restartDependents, StateStore store) {
    }

    /** Brings {@code plan} up once and stops following it. */
    RunReport up(Backend backend, Options options, Plan plan);

    /** Stops and removes the nodes of {@code deployment} in reverse dependency order. */
    RunReport down(Backend backend, Options options, Deployment deployment, DownOptions down);

    /** Stops the running nodes of {@code deployment} in reverse dependency order. */
    RunReport stop(Backend backend, Options options, Deployment deployment);

    /** Brings {@code plan} up and keeps it living; with {@code schedules} false no trigger fires on its own. */
    Live start(Backend backend, Options options, Plan plan, boolean schedules);

    /** The engine side of one {@link LiveDeployment}. */
    interface Live {
        RunReport startup();

        Plan plan();

        /** Whether the clock is virtual: the caller's thread drives it. */
        boolean virtual();

        Instant now();

        String backendName();

        /** Fires {@code trigger} by hand; {@code done} completes with the run's report. */
        void fire(Trigger trigger, Map<String, String> overrides, CompletableFuture<RunReport> done);

        List<RunReport> history(String trigger);

        Map<String, List<RunReport>> history();

        void onRunFinished(Consumer<RunReport> hook);

        Optional<Instant> nextFire(String trigger);

        void resizePool(String pool, int slots);

        boolean awaitPoolIdle(String pool, Duration timeout);

        RunReport redeploy(Plan next, List<String> drainPools, Duration drainTimeout);

        RunReport restart(String node);

        /** Runs {@code trigger} once per due instant of its schedule from {@code from} to {@code to}, in order. */
        List<RunReport> backfill(Trigger trigger, Instant from, Instant to);

        void advanceTo(Instant instant);

        /** In virtual time: drives the clock until {@code done}; {@code what} names it in a stall's error. */
        void drive(BooleanSupplier done, String what);

        void close(boolean cancelRuns);

        boolean closed();
    }

    /** The engine on the class path: core's own. */
    static Dataflow installed() {
        return ServiceLoader.load(Dataflow.class, Dataflow.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no dataflow engine on the class path: core's jar is"
                        + " incomplete (META-INF/services/" + Dataflow.class.getName() + " missing); rebuild it or"
                        + " merge service files when shading"));
    }
}
