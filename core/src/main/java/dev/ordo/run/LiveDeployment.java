package dev.ordo.run;

import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import dev.ordo.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A deployment that lives after {@code up}: made by {@link Orchestrator#start(Plan)}, it has brought the plan up
 * ({@link #startup()}) and now fires its triggers on time, runs pipelines on demand, resizes and drains pools,
 * redeploys and restarts nodes, and follows its services (a death or restart is an event). Every fire, skip, queue,
 * run and failure is a {@link RunEvent} for the orchestrator's listener, and the last reports of each trigger are
 * kept ({@link #history(String)}). {@link #close()} stops firing, waits for running runs, and leaves the services
 * running.
 *
 * <p>On a real backend it runs on a thread of its own and its methods may be called from any thread. On the
 * simulated backend it runs in virtual time on the caller's thread: {@link #advanceTo} moves the clock and runs
 * what is due, and a run's future drives the clock until it completes.
 *
 * <pre>{@code
 * try (LiveDeployment live = Orchestrator.using(docker).start(deployment.plan())) {
 *     live.startup().throwIfFailed();
 *     RunReport manual = live.trigger("daily", Map.of("PROCESSING_WINDOW_DAYS", "14")).join();
 *     live.resizePool("file-copy", 0);
 *     live.awaitPoolIdle("file-copy", Duration.ofMinutes(30));
 * }
 * }</pre>
 */
public final class LiveDeployment implements AutoCloseable {
    /** How {@link #close(CloseMode)} treats the runs still going. */
    public enum CloseMode {
        /** Wait for running runs to finish; queued runs never start. */
        WAIT,
        /** Stop running runs at once (their steps are killed); queued runs never start. */
        CANCEL
    }

    private final Dataflow.Live living;

    LiveDeployment(Dataflow.Live living) {
        this.living = living;
    }

    /** The report of the {@code up} that started this living deployment. */
    public RunReport startup() {
        return living.startup();
    }

    /** The plan it runs now (the last one redeployed). */
    public Plan plan() {
        return living.plan();
    }

    /**
     * Starts a run of {@code trigger} now, with the trigger's own parameters.
     *
     * @return the run's report, once it has finished; a fire the trigger's overlap policy skips completes at once
     *         with a report that says so
     */
    public CompletableFuture<RunReport> trigger(String trigger) {
        return trigger(trigger, Map.of());
    }

    /**
     * Starts a run of {@code trigger} now; {@code overrides} set environment values in every step, over the
     * trigger's (e.g. {@code PROCESSING_WINDOW_DAYS=14}).
     */
    public CompletableFuture<RunReport> trigger(String trigger, Map<String, String> overrides) {
        Objects.requireNonNull(overrides, "overrides == null");
        Trigger t = living.plan().triggers().stream().filter(x -> x.name().equals(trigger)).findFirst()
                .orElseGet(() -> living.plan().deployment().requireTrigger(trigger));
        if (living.plan().triggers().stream().noneMatch(x -> x.name().equals(trigger))) {
            throw new OrdoException("trigger '" + trigger + "' targets '" + t.target() + "', which the plan's"
                    + " selection disables; start a plan whose profiles enable it");
        }
        overrides.keySet().forEach(k -> {
            if (k.isEmpty() || k.indexOf('=') >= 0) {
                throw new OrdoException("override '" + k + "' of trigger '" + trigger + "' is not an environment"
                        + " variable name; give NAME=value pairs with a non-empty name without '='");
            }
        });
        requireOpen();
        CompletableFuture<RunReport> f = living.virtual() ? new Driven() : new CompletableFuture<>();
        living.fire(t, overrides, f);
        return f;
    }

    /** The kept reports of {@code trigger}'s finished (and skipped) runs, oldest first. */
    public List<RunReport> history(String trigger) {
        living.plan().deployment().requireTrigger(trigger);
        return living.history(trigger);
    }

    /**
     * Calls {@code hook} with the report of every run that ends from now on (succeeded, failed, or a skipped fire),
     * on the handle's own thread: keep it short, e.g. appending the report to a history file. Runs that ended before
     * are in {@link #history()}.
     *
     * <pre>{@code
     * live.onRunFinished(r -> System.out.println(r.origin().orElseThrow().run() + " " + r.succeeded()));
     * }</pre>
     */
    public void onRunFinished(Consumer<RunReport> hook) {
        living.onRunFinished(Objects.requireNonNull(hook, "hook == null"));
    }

    /** The kept reports of every trigger, by trigger. */
    public Map<String, List<RunReport>> history() {
        return living.history();
    }

    /** When {@code trigger} fires next on its own (empty for a manual trigger, or once closed). */
    public Optional<Instant> nextFire(String trigger) {
        living.plan().deployment().requireTrigger(trigger);
        return living.nextFire(trigger);
    }

    /** Gives {@code pool} {@code slots} slots now; 0 drains it (nothing new of it starts). */
    public void resizePool(String pool, int slots) {
        if (!living.plan().deployment().pools().containsKey(pool)) {
            throw new OrdoException("deployment '" + living.plan().deployment().name() + "' has no pool '" + pool + "'"
                    + Names.didYouMean(pool, living.plan().deployment().pools().keySet()));
        }
        if (slots < 0) {
            throw new OrdoException("pool '" + pool + "' cannot have " + slots + " slots; give it 0 (drained) or more");
        }
        requireOpen();
        living.resizePool(pool, slots);
    }

    /** Waits until no member of {@code pool} runs; false when {@code timeout} passed first. */
    public boolean awaitPoolIdle(String pool, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        return living.awaitPoolIdle(pool, timeout);
    }

    /**
     * Redeploys to {@code next} as AlphaKraken does: drains {@code drainPools} to 0, waits (up to
     * {@code drainTimeout}) for their running members, stops the nodes {@code next} changes in reverse dependency
     * order, brings {@code next} up, restores the pools and fires {@code next}'s triggers from now on.
     *
     * @return the report of the new plan's up
     */
    public RunReport redeploy(Plan next, Duration drainTimeout, String... drainPools) {
        Objects.requireNonNull(next, "next == null");
        Objects.requireNonNull(drainTimeout, "drainTimeout == null");
        if (!next.deployment().name().equals(living.plan().deployment().name())) {
            throw new OrdoException("cannot redeploy '" + living.plan().deployment().name() + "' to a plan of '"
                    + next.deployment().name() + "'; start a separate living deployment for it");
        }
        for (String p : drainPools) {
            if (!living.plan().deployment().pools().containsKey(p)) {
                throw new OrdoException("redeploy drains pool '" + p + "', which deployment '"
                        + living.plan().deployment().name() + "' does not define"
                        + Names.didYouMean(p, living.plan().deployment().pools().keySet()));
            }
        }
        requireOpen();
        return living.redeploy(next, List.of(drainPools), drainTimeout);
    }

    /** Restarts {@code node} and its {@code restart(true)} dependents (stopped in reverse order, started in order). */
    public RunReport restart(String node) {
        requireOpen();
        return living.restart(node);
    }

    /**
     * Backfill: runs {@code trigger} once for each instant its schedule was (or will be) due from {@code from} to
     * {@code to}, both included, oldest first and one after another whatever its overlap policy, each with its due
     * instant's parameters (as Airflow's and Temporal's backfills do). Returns the runs' reports, in order, once all
     * have ended; the schedule itself is not changed.
     *
     * <pre>{@code
     * List<RunReport> week = live.backfill("daily", Instant.parse("2026-03-01T00:00:00Z"),
     *         Instant.parse("2026-03-07T23:59:59Z"));
     * }</pre>
     *
     * @throws OrdoException naming the trigger when it has no schedule, when {@code from} is after {@code to}, or
     *                       when the range holds more than 10,000 due instants
     */
    public List<RunReport> backfill(String trigger, Instant from, Instant to) {
        Objects.requireNonNull(from, "from == null");
        Objects.requireNonNull(to, "to == null");
        Trigger t = living.plan().deployment().requireTrigger(trigger);
        if (t.kind() == Trigger.Kind.MANUAL) {
            throw new OrdoException("trigger '" + trigger + "' fires only by hand, so it has no due instants to"
                    + " backfill; fire it with trigger(\"" + trigger + "\", overrides) instead");
        }
        if (from.isAfter(to)) {
            throw new OrdoException("cannot backfill trigger '" + trigger + "' from " + from + " to " + to + ": the"
                    + " range ends before it begins; swap the two instants");
        }
        requireOpen();
        return living.backfill(t, from, to);
    }

    /** Virtual time only: moves the clock to {@code instant}, running every fire and run due until then. */
    public void advanceTo(Instant instant) {
        Objects.requireNonNull(instant, "instant == null");
        if (!living.virtual()) {
            throw new OrdoException("advanceTo works in virtual time only (the simulated backend); on "
                    + living.backendName() + " time passes by itself");
        }
        living.advanceTo(instant);
    }

    /** Virtual time only: moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        advanceTo(now().plus(Objects.requireNonNull(d, "d == null")));
    }

    /** The engine's clock: wall time, or virtual time on the simulated backend. */
    public Instant now() {
        return living.now();
    }

    /** {@link #close(CloseMode)} with {@link CloseMode#WAIT}. */
    @Override
    public void close() {
        close(CloseMode.WAIT);
    }

    /** Stops firing and waits for or cancels the runs; the services keep running. */
    public void close(CloseMode mode) {
        living.close(Objects.requireNonNull(mode, "mode == null") == CloseMode.CANCEL);
    }

    private void requireOpen() {
        if (living.closed()) {
            throw new OrdoException("the living deployment of '" + living.plan().deployment().name() + "' is closed; start"
                    + " a new one with Orchestrator.start(plan)");
        }
    }

    /** A future that, in virtual time, drives the clock until it completes. */
    private final class Driven extends CompletableFuture<RunReport> {
        @Override
        public RunReport join() {
            living.drive(this::isDone, "this run");
            return super.join();
        }

        @Override
        public RunReport get() throws InterruptedException, ExecutionException {
            living.drive(this::isDone, "this run");
            return super.get();
        }

        @Override
        public RunReport get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            living.drive(this::isDone, "this run");
            return super.get(timeout, unit);
        }
    }
}
