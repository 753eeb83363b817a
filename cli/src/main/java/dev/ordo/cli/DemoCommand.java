package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.cli.CliOptions.SelectionOptions;
import dev.ordo.examples.Example;
import dev.ordo.export.Export;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.SimulatedBackend;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ordo demo}: the CLP example planned, brought up on the simulated backend in virtual time (with its real
 * start-up timings), and torn down — what Ordo does, in a second, with nothing installed.
 *
 * <pre>{@code
 * ordo demo --type base
 * }</pre>
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Plan the CLP example, bring it up on the simulated backend, and tear it down.")
final class DemoCommand implements Callable<Integer> {
    /** The demo's system: its profiles are what the help lists. */
    static final Source CLP = Source.example(Example.CLP);

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Deployment clp = CLP.load(Optional.empty()).deployment();
        Plan plan = clp.plan(selection.selection(CLP, clp));
        PrintStream out = Printing.printer(spec);
        out.println("== plan");
        out.print(Export.text(plan));
        out.println();
        out.println("== up (simulated backend, virtual time)");
        SimulatedBackend sim = CLP.simulated();
        long t = System.nanoTime();
        RunReport up = Orchestrator.using(sim).listener(Printing.progress(out, false)).up(plan);
        long upNanos = System.nanoTime() - t;
        out.println();
        out.print(up.render());
        out.println("critical-path lower bound from the estimates: "
                + plan.criticalPath(CLP.readinessEstimates()).length().toMillis() / 1000.0 + "s");
        out.printf(Locale.ROOT, "(%.1f s of virtual time simulated in %.1f ms of wall time)%n",
                up.duration().toMillis() / 1000.0, upNanos / 1e6);
        out.println();
        out.println("== down");
        RunReport down = Orchestrator.using(sim).listener(Printing.progress(out, false)).down(clp);
        out.print(down.render());
        return up.succeeded() && down.succeeded() ? 0 : 1;
    }
}
