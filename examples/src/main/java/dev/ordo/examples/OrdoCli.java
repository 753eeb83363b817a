package dev.ordo.examples;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.export.Export;
import dev.ordo.Plan;
import dev.ordo.run.DownOptions;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeStatus;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.testing.SimulatedBackend;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.ordo.examples.CliOptions.BackendOptions;
import dev.ordo.examples.CliOptions.ExampleOptions;
import dev.ordo.examples.CliOptions.SelectionOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code ordo} command-line runner for the example deployments: plan, up, down, status and a demo.
 *
 * <pre>{@code
 * java -jar examples/target/ordo.jar demo
 * java -jar examples/target/ordo.jar plan --format mermaid --type full
 * java -jar examples/target/ordo.jar up --backend docker --stand-ins
 * }</pre>
 */
@Command(name = "ordo", mixinStandardHelpOptions = true, version = "ordo 0.1.0",
        description = "Brings Ordo's examples up and down in dependency order, and keeps them living.",
        subcommands = {OrdoCli.PlanCommand.class, OrdoCli.UpCommand.class, OrdoCli.DownCommand.class,
                OrdoCli.StatusCommand.class, LogsCommand.class, OrdoCli.DemoCommand.class, LivingCommands.Supervise.class,
                LivingCommands.Trigger.class, LivingCommands.History.class})
public final class OrdoCli implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line; exits with 0 on success, 1 when a run or the backend failed, 2 on bad usage. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new OrdoCli());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof dev.ordo.ValidationException
                    || e instanceof dev.ordo.compose.ComposeException) {
                // bad input (an option, a selection, a compose file): the message names it and the fix
                cmd.getErr().println("ordo: " + e.getMessage());
                return cmd.getCommandSpec().exitCodeOnInvalidInput();
            }
            if (e instanceof OrdoException) {
                cmd.getErr().println("ordo: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Print the plan: waves and edges.")
    static final class PlanCommand implements Callable<Integer> {
        @Mixin
        ExampleOptions example = new ExampleOptions();

        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @Option(names = "--format", defaultValue = "text",
                description = "text, mermaid, dot, json, k8s, or (with --output DIR) kustomize or helm")
        String format;

        @Option(names = "--output", paramLabel = "DIR", description = "kustomize, helm: the directory to write into")
        java.nio.file.Path output;

        @Mixin
        EngineOptions engines = new EngineOptions();

        @Option(names = "--leave-to-ordo", paramLabel = "TRIGGER", split = ",", description = "k8s: leave these"
                + " triggers out of the manifests, for Ordo's living handle to run; repeatable")
        java.util.List<String> leftToOrdo = new java.util.ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Deployment loaded = example.load(spec, selection.profiles, selection.targets);
            Plan plan = loaded.plan(selection.selection(example, loaded));
            if (format.equalsIgnoreCase("kustomize") || format.equalsIgnoreCase("helm")) {
                if (output == null) {
                    throw new IllegalArgumentException("--format " + format + " writes a directory: give it with"
                            + " --output DIR");
                }
                java.util.List<java.nio.file.Path> files = Backends.kubernetesLayout(plan, leftToOrdo,
                        format.equalsIgnoreCase("helm"), output);
                files.forEach(f -> spec.commandLine().getOut().println("wrote " + f));
                spec.commandLine().getOut().flush();
                return 0;
            }
            if (format.equalsIgnoreCase("k8s")) {
                Backends.kubernetesWarnings(plan).forEach(w -> spec.commandLine().getErr().println("ordo: warning: "
                        + w));
                spec.commandLine().getErr().flush();
            }
            String text;
            try {
                text = format.equalsIgnoreCase("k8s") ? Backends.kubernetesManifests(plan, leftToOrdo)
                        : Export.render(plan, format(format));
            } catch (dev.ordo.OrdoException e) {
                if (!format.equalsIgnoreCase("k8s")) {
                    throw e;
                }
                throw new dev.ordo.OrdoException(e.getMessage() + "\nwith the runner: plan --format k8s"
                        + " --leave-to-ordo TRIGGER[,TRIGGER...]", e);
            }
            spec.commandLine().getOut().print(text);
            if (engines.several() && format.equalsIgnoreCase("text")) {
                spec.commandLine().getOut().println("engines:");
                engines.layout(example.which(), plan.deployment(), plan.nodes().stream().map(n -> n.name()).toList())
                        .forEach((n, e) -> spec.commandLine().getOut().printf(Locale.ROOT, "  %-30s %s%n", n, e));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Bring the deployment up, printing live progress, then the timeline and critical path.")
    static final class UpCommand implements Callable<Integer> {
        @Mixin
        ExampleOptions example = new ExampleOptions();

        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @Mixin
        BackendOptions backend = new BackendOptions();

        @Option(names = "--failure-policy", defaultValue = "STOP_SCHEDULING",
                description = "STOP_SCHEDULING, CONTINUE or TEAR_DOWN")
        FailurePolicy policy;

        @Option(names = "--logs", description = "print the nodes' output lines too")
        boolean logs;

        @Option(names = "--progress", defaultValue = "auto", description = "auto (lines updated in place on a"
                + " terminal, plain lines otherwise), tty or plain")
        String progressMode;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = printer(spec);
            Deployment d = example.load(spec);
            RunListener progress = LiveProgress.choose(progressMode, out, logs);
            Plan plan = d.plan(selection.selection(example.which(), d));
            // SIGTERM or Ctrl-C: interrupt the up so that it ends under its failure policy (TEAR_DOWN removes what
            // it started), and let the JVM exit only once that is done and the backend is closed.
            Thread upThread = Thread.currentThread();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                upThread.interrupt();
                try {
                    done.await(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ordo-up-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try (Backend b = backend.open(example.which(), d)) {
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
    static final class DownCommand implements Callable<Integer> {
        @Mixin
        ExampleOptions example = new ExampleOptions();

        @Mixin
        BackendOptions backend = new BackendOptions();

        @Option(names = {"-v", "--volumes"}, description = "remove named volumes too")
        boolean volumes;

        @Option(names = "--grace-period", paramLabel = "DURATION", description = "give every node this long between"
                + " its stop signal and SIGKILL instead of its own stop grace period (e.g. 2s; 0s kills at once)")
        String gracePeriod;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = printer(spec);
            Deployment d = example.load(spec);
            try (Backend b = backend.open(example.which(), d)) {
                DownOptions options = DownOptions.defaults().removeVolumes(volumes);
                if (gracePeriod != null) {
                    options = options.gracePeriod(ExampleOptions.duration(gracePeriod.strip().equals("0") ? "0s"
                            : gracePeriod));
                }
                RunReport report = Orchestrator.using(b).listener(progress(out, false)).down(d, options);
                out.print(report.render());
                return report.succeeded() ? 0 : 1;
            }
        }
    }

    @Command(name = "status", aliases = "ps", mixinStandardHelpOptions = true,
            description = "Show what exists of the deployment (alias: ps).")
    static final class StatusCommand implements Callable<Integer> {
        @Mixin
        ExampleOptions example = new ExampleOptions();

        @Mixin
        BackendOptions backend = new BackendOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = printer(spec);
            Deployment d = example.load(spec);
            try (Backend b = backend.open(example.which(), d)) {
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

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Plan the CLP example, bring it up on the simulated backend, and tear it down.")
    static final class DemoCommand implements Callable<Integer> {
        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Deployment clp = Clp.deployment();
            Plan plan = clp.plan(selection.selection(Example.CLP, clp));
            PrintStream out = printer(spec);
            out.println("== plan");
            out.print(Export.text(plan));
            out.println();
            out.println("== up (simulated backend, virtual time)");
            SimulatedBackend sim = Clp.simulated();
            long t = System.nanoTime();
            RunReport up = Orchestrator.using(sim).listener(progress(out, false)).up(plan);
            long upNanos = System.nanoTime() - t;
            out.println();
            out.print(up.render());
            out.println("critical-path lower bound from the estimates: "
                    + plan.criticalPath(Clp.READINESS).length().toMillis() / 1000.0 + "s");
            out.printf(Locale.ROOT, "(%.1f s of virtual time simulated in %.1f ms of wall time)%n",
                    up.duration().toMillis() / 1000.0, upNanos / 1e6);
            out.println();
            out.println("== down");
            RunReport down = Orchestrator.using(sim).listener(progress(out, false)).down(clp);
            out.print(down.render());
            return up.succeeded() && down.succeeded() ? 0 : 1;
        }
    }

    static PrintStream printer(CommandLine.Model.CommandSpec spec) {
        return printer(spec.commandLine().getOut());
    }

    /** The export format for {@code --format}; k8s is the runner's own, the rest are the core's. */
    private static Export.Format format(String name) {
        try {
            return Export.Format.parse(name);
        } catch (OrdoException e) {
            throw new IllegalArgumentException("--format: unknown plan format '" + name
                    + "'; use one of text, mermaid, dot, json, k8s", e);
        }
    }

    /** A stream onto {@code w} for the progress printer, which prints with {@link PrintStream}s. */
    static PrintStream printer(java.io.PrintWriter w) {
        // bytes are decoded per line, not per byte, so that UTF-8 log lines reach the writer intact
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                pending.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public synchronized void flush() {
                w.write(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
                pending.reset();
                w.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    static RunListener progress(PrintStream out, boolean logs) {
        return e -> {
            if (e.type() == RunEvent.Type.LOG && !logs) {
                return;
            }
            out.printf(Locale.ROOT, "[%8.3fs] %-30s %-16s %s%n", e.at().toMillis() / 1000.0, e.node(),
                    e.type().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.detail());
        };
    }
}
