package dev.ordo.dataflow;

import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.Pool;
import dev.ordo.Trigger;
import dev.ordo.run.Dataflow;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of a {@link LiveDeployment}: one {@link Session} kept for the deployment's whole life, driven by a
 * thread of its own on a real backend, or by the caller's thread in virtual time. Operations that wait (redeploy,
 * restart, draining a pool, closing) run as procedures on that thread; everything else is a command in the inbox.
 */
final class Living implements Dataflow.Live {
    private static final Logger LOG = LoggerFactory.getLogger(Living.class);

    private final Session session;
    private final Operations operations;
    private final Triggers triggers;
    private final boolean virtual;
    private final RunReport startup;
    private final Map<String, NodeLife> upLives = new HashMap<>();
    private final ConcurrentLinkedDeque<Runnable> procedures = new ConcurrentLinkedDeque<>();
    private Plan plan;
    private Thread thread;
    private volatile boolean stopped;

    /** With {@code schedules} false, no trigger fires on its own: only {@code trigger(...)} starts runs. */
    Living(Backend backend, Dataflow.Options options, Plan plan, boolean schedules) {
        this.session = new Session(backend, options.listener(), options.timeout());
        this.operations = new Operations(session, options);
        this.virtual = backend.time().isVirtual();
        this.plan = plan;
        this.startup = operations.up(plan, false);
        adopt(operations.lastUp);
        if (options.restartDependents()) {
            operations.lastUp.onRestart(life -> procedures.add(() -> restartDependentsOf(life.node.name())));
        }
        this.triggers = new Triggers(session, upLives::get, options.store());
        session.afterStep(triggers::check);
        triggers.arm(plan, schedules, schedules);
        if (schedules) {
            triggers.catchUp(options.store().load(plan.deployment().name()));
        }
        if (!virtual) {
            thread = new Thread(this::loop, "ordo-live-" + plan.deployment().name());
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public Plan plan() {
        return plan;
    }

    @Override
    public RunReport startup() {
        return startup;
    }

    @Override
    public boolean virtual() {
        return virtual;
    }

    @Override
    public Instant now() {
        return session.now();
    }

    @Override
    public String backendName() {
        return session.backend.name();
    }

    @Override
    public void fire(Trigger trigger, Map<String, String> overrides, CompletableFuture<RunReport> done) {
        command(() -> triggers.fire(trigger, "manual", session.now(), overrides, done));
    }

    @Override
    public List<RunReport> history(String trigger) {
        return call(() -> triggers.history(trigger));
    }

    @Override
    public Map<String, List<RunReport>> history() {
        return call(triggers::history);
    }

    @Override
    public void onRunFinished(Consumer<RunReport> hook) {
        triggers.onFinished(hook);
    }

    @Override
    public Optional<Instant> nextFire(String trigger) {
        return call(() -> triggers.nextFire(trigger));
    }

    private void adopt(Flow flow) {
        flow.lives.forEach(upLives::put);
    }

    private void loop() {
        while (!stopped) {
            try {
                Runnable p = procedures.poll();
                if (p != null) {
                    p.run();
                } else {
                    session.step(TimeSource.NEVER);
                }
            } catch (RuntimeException e) {
                // One failed command must not end the deployment's life: say so and go on.
                LOG.error("living deployment '{}': {}", plan.deployment().name(), e.getMessage(), e);
            }
        }
    }

    /** Compose's rule, when asked for: the platform restarted {@code node}, so its restart(true) dependents follow. */
    private void restartDependentsOf(String node) {
        List<String> dependents = Dependents.withRestartDependents(plan, new LinkedHashSet<>(List.of(node)));
        dependents.remove(node);
        if (!dependents.isEmpty()) {
            session.emit(RunEvent.Type.RESTARTING, node, "its restart(true) dependents follow: " + dependents);
            for (String d : dependents) {
                restart(d);
            }
        }
    }

    /** Runs queued procedures on the current (engine) thread. */
    private void runProcedures() {
        for (Runnable p = procedures.poll(); p != null; p = procedures.poll()) {
            p.run();
        }
    }

    /** Runs {@code work} on the engine thread and waits for its result. */
    private <T> T call(Supplier<T> work) {
        if (virtual) {
            return work.get();
        }
        if (stopped) {
            // Closed: once the engine thread has ended nothing moves any more, so the caller may read directly.
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return work.get();
        }
        if (Thread.currentThread() == thread) {
            throw new OrdoException("a living deployment's operation was called from its own listener; call it from"
                    + " another thread");
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        procedures.add(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        session.inbox.post(() -> { }); // wakes the loop
        return await(f);
    }

    /** Runs {@code command} on the engine thread, without waiting. */
    private void command(Runnable command) {
        if (virtual) {
            command.run();
            // What a step would do after it: a run that could not start ends now, not at the next timer.
            triggers.check();
        } else {
            session.inbox.post(command);
        }
    }

    /** Waits for {@code f}; in virtual time, by driving the engine until it completes. */
    private <T> T await(CompletableFuture<T> f) {
        if (virtual) {
            drive(f::isDone, "the awaited result");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("interrupted while waiting for the living deployment of '"
                    + plan.deployment().name() + "'");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new OrdoException(e.getCause().toString(), e);
        }
    }

    /** Virtual time: runs the engine until {@code done}; fails when nothing is left that could make it true. */
    @Override
    public void drive(BooleanSupplier done, String what) {
        while (!done.getAsBoolean()) {
            runProcedures();
            Instant before = session.now();
            long handled = session.handled;
            boolean idle = session.inbox.isEmpty() && session.timers.next().equals(TimeSource.NEVER);
            session.step(TimeSource.NEVER);
            // Idle only if the step handled nothing: facts at the same virtual instant (a container removed) are
            // progress even though the clock did not move.
            if (idle && session.now().equals(before) && session.handled == handled && session.inbox.isEmpty()
                    && !done.getAsBoolean()) {
                throw new OrdoException("nothing is left to run in virtual time that could complete " + what
                        + "; advance the clock with advanceTo(...) or trigger a run");
            }
        }
    }

    /** Virtual time: runs everything due up to {@code until}. */
    @Override
    public void advanceTo(Instant until) {
        while (session.now().isBefore(until)) {
            runProcedures();
            session.step(until);
        }
        runProcedures();
        while (!session.inbox.isEmpty()) {
            session.step(session.now());
        }
    }

    @Override
    public void resizePool(String pool, int slots) {
        command(() -> {
            session.pools.resize(pool, slots);
            session.emit(RunEvent.Type.POOL_RESIZED, pool, slots + " slots");
        });
    }

    @Override
    public boolean awaitPoolIdle(String pool, Duration timeout) {
        return call(() -> {
            Instant deadline = session.now().plus(timeout);
            while (session.pools.used(pool) > 0 && session.now().isBefore(deadline) && session.lost() == null) {
                session.step(deadline);
            }
            return session.pools.used(pool) == 0;
        });
    }

    /**
     * AlphaKraken's redeploy: drain the pools, wait for their running members, stop the changed nodes in reverse
     * order, bring the new plan up, restore the pools, fire the new plan's triggers.
     */
    @Override
    public RunReport redeploy(Plan next, List<String> drain, Duration drainTimeout) {
        return call(() -> {
            Map<String, Integer> before = new HashMap<>();
            for (String p : drain) {
                before.put(p, session.pools.pool(p).map(Pool::slots).orElse(0));
                session.pools.hold(p);
                session.emit(RunEvent.Type.POOL_RESIZED, p, "0 slots (drained for a redeploy)");
            }
            Instant deadline = session.now().plus(drainTimeout);
            for (String p : drain) {
                while (session.pools.used(p) > 0 && session.now().isBefore(deadline) && session.lost() == null) {
                    session.step(deadline);
                }
                if (session.pools.used(p) > 0) {
                    restore(before, next);
                    throw new OrdoException("redeploy of '" + plan.deployment().name() + "': pool '" + p + "' still has "
                            + session.pools.used(p) + " running member(s) after " + Session.human(drainTimeout)
                            + "; nothing was stopped and the pools were restored; wait for them or raise the timeout");
                }
            }
            List<String> changed = Dependents.changed(plan, next);
            new Teardown(session, plan.deployment(), session.now()).run(changed, true);
            RunReport report = operations.up(next, false);
            changed.forEach(upLives::remove);
            adopt(operations.lastUp);
            plan = next;
            restore(before, next);
            triggers.arm(next, false, true);
            return report;
        });
    }

    private void restore(Map<String, Integer> before, Plan next) {
        before.forEach((p, slots) -> {
            int restored = next.deployment().pools().containsKey(p) ? next.deployment().pools().get(p).slots() : slots;
            session.pools.unhold(p, restored);
            session.emit(RunEvent.Type.POOL_RESIZED, p, restored + " slots (restored)");
        });
    }

    /** Restarts {@code node} and its restart(true) dependents: stopped in reverse order, started in order. */
    @Override
    public RunReport restart(String node) {
        plan.deployment().requireNode(node);
        return call(() -> {
            List<String> nodes = Dependents.withRestartDependents(plan, new LinkedHashSet<>(List.of(node)));
            RunReport report = operations.restart(plan, nodes);
            nodes.forEach(upLives::remove);
            adopt(operations.lastUp);
            return report;
        });
    }

    @Override
    public List<RunReport> backfill(Trigger trigger, Instant from, Instant to) {
        List<CompletableFuture<RunReport>> runs = call(() -> triggers.backfill(trigger, from, to));
        List<RunReport> reports = new ArrayList<>();
        for (CompletableFuture<RunReport> run : runs) {
            reports.add(await(run));
        }
        return reports;
    }

    /** Stops firing, waits for (or cancels) the runs, and lets the services run on. */
    @Override
    public void close(boolean cancelRuns) {
        if (stopped) {
            return;
        }
        call(() -> {
            triggers.disarm();
            if (cancelRuns) {
                triggers.cancelAll("was cancelled: the living deployment closed");
            } else {
                triggers.dropQueued("never started: the living deployment closed first");
            }
            session.runUntil(() -> !triggers.busy());
            // The finished runs' containers are gone before close returns: a program may exit right after it.
            Instant deadline = session.now().plus(Teardown.STOP_MARGIN);
            while (session.stopsInFlight() && session.lost() == null && session.now().isBefore(deadline)) {
                session.step(deadline);
            }
            session.backend.detach(plan.deployment());
            stopped = true;
            return null;
        });
        if (thread != null) {
            session.inbox.post(() -> { });
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean closed() {
        return stopped;
    }
}
