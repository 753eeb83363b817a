package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.Selection;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import dev.ordo.run.RunReport;
import dev.ordo.run.StateStore;
import dev.ordo.spi.Backend;
import dev.ordo.testing.SimulatedBackend;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The runner's commands for living deployments: {@code supervise} (up, then fire triggers on time until stopped),
 * {@code trigger NAME} (one run by hand) and {@code history [NAME]} (what ran, from the state directory).
 *
 * <pre>{@code
 * ordo supervise --example manticore --backend docker --stand-ins --every 5s
 * ordo trigger daily --example orchestration-layer --env PROCESSING_WINDOW_DAYS=14
 * ordo history daily --example orchestration-layer
 * }</pre>
 */
final class LivingCommands {
    private static final Set<RunEvent.Type> LIVING = EnumSet.of(RunEvent.Type.FIRED, RunEvent.Type.FIRE_SKIPPED,
            RunEvent.Type.RUN_QUEUED, RunEvent.Type.RUN_STARTED, RunEvent.Type.RUN_SUCCEEDED,
            RunEvent.Type.RUN_FAILED, RunEvent.Type.RESTARTED, RunEvent.Type.POOL_RESIZED,
            RunEvent.Type.FIRE_MISSED);

    private LivingCommands() {
    }

    /** Where the run history and the living state are kept. */
    static final class StateOptions {
        @Option(names = "--state-dir", description = "where the run history and each trigger's last fire are kept"
                + " (default: $ORDO_STATE_DIR, else ~/.ordo)")
        Path stateDir;

        private Path dir() {
            if (stateDir != null) {
                return stateDir;
            }
            String env = System.getenv("ORDO_STATE_DIR");
            return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ordo");
        }

        RunHistory history(String deployment) {
            return RunHistory.in(dir(), deployment);
        }

        /** Each trigger's last fire, so that the next supervise catches up on what it missed. */
        StateStore store() {
            return StateStore.files(dir());
        }
    }

    /** Virtual time's start on the simulated backend. */
    static final class ClockOptions {
        @Option(names = "--start-at", description = "simulated backend: where virtual time starts, e.g."
                + " 2026-03-02T13:57:00Z (default: now)")
        String startAt;

        /** Sets the simulated backend's clock; the instant everything is printed from. */
        Instant apply(Backend b) {
            if (b instanceof SimulatedBackend sim) {
                Instant at;
                try {
                    at = startAt == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : Instant.parse(startAt);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--start-at: '" + startAt + "' is not an instant; write e.g."
                            + " 2026-03-02T13:57:00Z");
                }
                sim.startAt(at);
            } else if (startAt != null) {
                throw new IllegalArgumentException("--start-at sets virtual time, which only the simulated backend"
                        + " has; leave it out on " + b.name());
            }
            return b.time().now();
        }
    }

    @Command(name = "supervise", mixinStandardHelpOptions = true,
            description = "Bring the deployment up and keep it living: fire its triggers on time and print every"
                    + " fire, skip and run, until SIGTERM or Ctrl-C (or --for); the services stay up.")
    static final class Supervise implements Callable<Integer> {
        @Mixin
        CliOptions.DeploymentOptions deployment = new CliOptions.DeploymentOptions();

        @Mixin
        CliOptions.BackendOptions backend = new CliOptions.BackendOptions();

        @Mixin
        StateOptions state = new StateOptions();

        @Mixin
        ClockOptions clock = new ClockOptions();

        @Option(names = "--for", description = "stop after this long (e.g. 30s, 3d); in virtual time on the"
                + " simulated backend, where it is required")
        String duration;

        @Option(names = "--cancel-runs", description = "on stop, cancel runs in flight instead of waiting for them")
        boolean cancel;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintStream out = Printing.printer(spec);
            Deployment d = deployment.load(spec);
            Plan plan = d.plan(Selection.allProfiles());
            Optional<Duration> limit = Optional.ofNullable(duration)
                    .map(t -> CliOptions.DeploymentOptions.positive("--for", t));
            RunHistory history = state.history(d.name());
            try (Backend b = backend.open(deployment.which(), d)) {
                if (b.time().isVirtual() && limit.isEmpty()) {
                    throw new IllegalArgumentException("the simulated backend runs in virtual time, which passes only"
                            + " as far as asked: give --for, e.g. --for 3d");
                }
                Instant t0 = clock.apply(b);
                LiveDeployment live = backend.configure(Orchestrator.using(b)).stateStore(state.store())
                        .listener(living(out, t0)).start(plan);
                live.onRunFinished(history::append);
                CountDownLatch stop = new CountDownLatch(1);
                CountDownLatch closed = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    stop.countDown();
                    try {
                        closed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "ordo-supervise-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    RunReport up = live.startup();
                    out.println(at(t0, Duration.ZERO) + "  up of '" + d.name() + "' on " + b.name() + ": "
                            + (up.succeeded() ? "succeeded" : "FAILED"));
                    if (!up.succeeded()) {
                        out.print(up.render());
                        return 1;
                    }
                    plan.triggers().forEach(t -> out.println("  trigger " + t.name() + ": " + t.describe()
                            + live.nextFire(t.name()).map(n -> ", next at " + n).orElse("")));
                    if (b.time().isVirtual()) {
                        live.advanceTo(t0.plus(limit.orElseThrow()));
                    } else if (limit.isPresent()) {
                        stop.await(limit.get().toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        stop.await();
                    }
                    out.println("stopping: no more fires; " + (cancel ? "cancelling" : "waiting for")
                            + " runs in flight; the services stay up (ordo down removes them)");
                    live.close(cancel ? LiveDeployment.CloseMode.CANCEL : LiveDeployment.CloseMode.WAIT);
                    live.history().values().forEach(l -> l.forEach(history::append));
                    out.println("history: " + history.file());
                    return 0;
                } finally {
                    live.close();
                    // closed before the hook lets the JVM exit: a closed backend releases its reaper, so a
                    // rehearsal's services stay up after SIGTERM as after a normal stop
                    b.close();
                    closed.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it is waiting for 'closed', counted down above
                    }
                }
            }
        }
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true,
            description = "Run one trigger by hand, with overrides: the services are brought up first (running"
                    + " ones kept) and stay up; nothing else fires.")
    static final class Trigger implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the trigger to run")
        String name;

        @Option(names = "--env", paramLabel = "KEY=VALUE", description = "override a value in every step; repeatable")
        List<String> env = List.of();

        @Mixin
        CliOptions.DeploymentOptions deployment = new CliOptions.DeploymentOptions();

        @Mixin
        CliOptions.BackendOptions backend = new CliOptions.BackendOptions();

        @Mixin
        StateOptions state = new StateOptions();

        @Mixin
        ClockOptions clock = new ClockOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = Printing.printer(spec);
            Deployment d = deployment.load(spec);
            requireTrigger(d, name);
            Map<String, String> overrides = new LinkedHashMap<>();
            for (String kv : env) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--env: '" + kv + "' is not KEY=VALUE");
                }
                overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            try (Backend b = backend.open(deployment.which(), d)) {
                clock.apply(b);
                RunReport r = backend.configure(Orchestrator.using(b)).listener(Printing.progress(out, false))
                        .runOnce(d.plan(Selection.allProfiles()), name, overrides);
                out.println();
                out.print(r.render());
                if (r.origin().isPresent()) {
                    state.history(d.name()).append(r);
                }
                return r.succeeded() ? 0 : 1;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Show the recorded runs of the deployment's triggers, oldest first.")
    static final class History implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "only this trigger's runs")
        String name;

        @Mixin
        CliOptions.DeploymentOptions deployment = new CliOptions.DeploymentOptions();

        @Mixin
        StateOptions state = new StateOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream out = Printing.printer(spec);
            Deployment d = deployment.load(spec);
            if (name != null) {
                requireTrigger(d, name);
            }
            RunHistory h = state.history(d.name());
            List<RunHistory.Entry> entries = h.read(Optional.ofNullable(name));
            if (entries.isEmpty()) {
                out.println("no runs of " + (name == null ? "'" + d.name() + "'" : "trigger '" + name + "'")
                        + " recorded in " + h.file());
                return 0;
            }
            out.printf(Locale.ROOT, "%-22s %-26s %-6s %-10s %-9s %9s  %s%n", "fired at", "trigger", "run", "cause",
                    "result", "took", "why");
            entries.forEach(e -> out.println(e.line()));
            return 0;
        }
    }

    /** A trigger the user named; a wrong name is bad usage (exit 2), with the names to choose from. */
    private static void requireTrigger(Deployment d, String name) {
        try {
            d.requireTrigger(name);
        } catch (OrdoException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static RunListener living(PrintStream out, Instant t0) {
        return e -> {
            if (LIVING.contains(e.type())) {
                out.printf(Locale.ROOT, "%s  %-14s %-26s %s%n", at(t0, e.at()),
                        e.type().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.node(), e.detail());
            }
        };
    }

    private static String at(Instant t0, Duration offset) {
        return t0.plus(offset).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
