package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.cli.CliOptions.BackendOptions;
import dev.ordo.cli.CliOptions.DeploymentOptions;
import dev.ordo.cli.CliOptions.SelectionOptions;
import dev.ordo.run.DownOptions;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeStatus;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunListener;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The runner's commands that act on a backend: {@code up}, {@code down} and {@code status} (alias {@code ps}).
 *
 * <pre>{@code
 * ordo up -f compose.yaml --backend docker --timeout 1m30s
 * ordo ps -f compose.yaml --backend docker
 * ordo down -f compose.yaml --backend docker -v --grace-period 2s
 * }</pre>
 */
final class RunCommands {
    private RunCommands() {
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Bring the deployment up, printing live progress, then the timeline and critical path.")
    static final class Up implements Callable<Integer> {
        @Mixin
        DeploymentOptions deployment = new DeploymentOptions();

        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @Mixin
        BackendOptions backend = new BackendOptions();

        @Option(names = "--failure-policy", defaultValue = "STOP_SCHEDULING", paramLabel = "POLICY",
                description = "STOP_SCHEDULING (default), CONTINUE or TEAR_DOWN")
        FailurePolicy policy;

        @Option(names = "--logs", description = "print the nodes' output lines too")
        boolean logs;

        @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE", description = "auto (lines updated"
                + " in place on a terminal, cut to its width; plain lines otherwise), tty or plain")
        String progressMode;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = Printing.printer(spec);
            Deployment d = deployment.load(spec);
            RunListener progress = LiveProgress.choose(progressMode, out, logs);
            Plan plan = d.plan(selection.selection(deployment.which(), d));
            // SIGTERM or Ctrl-C: interrupt the up so that it ends under its failure policy (TEAR_DOWN removes what
            // it started), and let the JVM exit only once that is done and the backend is closed.
            Thread upThread = Thread.currentThread();
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                upThread.interrupt();
                try {
                    done.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ordo-up-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try (Backend b = backend.open(deployment.which(), d)) {
                RunReport report = backend.configure(Orchestrator.using(b)).listener(progress)
                        .failurePolicy(policy).up(plan);
                out.println();
                out.print(report.render());
                report.error().ifPresent(e -> out.println(e.message()));
                return report.succeeded() ? 0 : 1;
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs: it waited for 'done'
                }
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop and remove the deployment in reverse dependency order.")
    static final class Down implements Callable<Integer> {
        @Mixin
        DeploymentOptions deployment = new DeploymentOptions();

        @Mixin
        BackendOptions backend = new BackendOptions();

        @Option(names = {"-v", "--volumes"}, description = "remove named volumes too")
        boolean volumes;

        @Option(names = "--grace-period", paramLabel = "DURATION", description = "give every node this long between"
                + " its stop signal and SIGKILL instead of its own stop grace period (e.g. 2s; 0 kills at once)")
        String gracePeriod;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = Printing.printer(spec);
            Deployment d = deployment.load(spec);
            DownOptions options = DownOptions.defaults().removeVolumes(volumes);
            if (gracePeriod != null) {
                options = options.gracePeriod(DeploymentOptions.duration("--grace-period", gracePeriod));
            }
            try (Backend b = backend.open(deployment.which(), d)) {
                RunReport report = Orchestrator.using(b).listener(Printing.progress(out, false)).down(d, options);
                out.print(report.render());
                return report.succeeded() ? 0 : 1;
            }
        }
    }

    @Command(name = "status", aliases = "ps", mixinStandardHelpOptions = true,
            description = "Show what exists of the deployment (alias: ps).")
    static final class Status implements Callable<Integer> {
        @Mixin
        DeploymentOptions deployment = new DeploymentOptions();

        @Mixin
        BackendOptions backend = new BackendOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = Printing.printer(spec);
            Deployment d = deployment.load(spec);
            try (Backend b = backend.open(deployment.which(), d)) {
                List<NodeStatus> status = Orchestrator.using(b).status(d);
                if (status.isEmpty()) {
                    out.println("nothing of '" + d.name() + "' exists on " + b.name());
                }
                status.forEach(s -> out.printf(Locale.ROOT, "%-30s %s%-9s %s%s%n", s.node(),
                        s.placement().map(e -> String.format(Locale.ROOT, "%-12s ", e)).orElse(""),
                        s.state().name().toLowerCase(Locale.ROOT), s.upToDate() ? "" : "changed",
                        s.defined() ? "" : " (no longer defined)"));
                return 0;
            }
        }
    }
}
