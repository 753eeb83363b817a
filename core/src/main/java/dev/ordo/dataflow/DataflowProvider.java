package dev.ordo.dataflow;

import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.run.Dataflow;
import dev.ordo.run.DownOptions;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;

/**
 * Core's dataflow engine as {@code dev.ordo.run} reaches it (registered in {@code META-INF/services}): each one-shot
 * operation gets an {@link Operations} over a fresh {@link Session}; a living deployment a {@link Living} of its own.
 *
 * <pre>{@code
 * RunReport report = new DataflowProvider().up(backend, options, plan);
 * }</pre>
 */
public final class DataflowProvider implements Dataflow {
    /** The provider {@link java.util.ServiceLoader} makes. */
    public DataflowProvider() {
    }

    @Override
    public RunReport up(Backend backend, Options options, Plan plan) {
        return new Operations(backend, options).up(plan, true);
    }

    @Override
    public RunReport down(Backend backend, Options options, Deployment deployment, DownOptions down) {
        return new Operations(backend, options).down(deployment, down);
    }

    @Override
    public RunReport stop(Backend backend, Options options, Deployment deployment) {
        return new Operations(backend, options).stop(deployment);
    }

    @Override
    public Dataflow.Live start(Backend backend, Options options, Plan plan, boolean schedules) {
        return new Living(backend, options, plan, schedules);
    }
}
