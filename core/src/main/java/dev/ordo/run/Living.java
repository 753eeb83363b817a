package dev.ordo.run;

import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.Pool;
import dev.ordo.spi.Backend;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of a {@link LiveDeployment}: one {@link Session} kept for the deployment's whole life, driven by a
 * thread of its own on a real backend, or by the caller's thread in virtual time. Operations that wait (redeploy,
 * restart, draining a pool, closing) run as procedures on that thread; everything else is a command in the inbox.
 */
final class Living {
    private static final Logger LOG = LoggerFactory.getLogger(Living.class);

    final Session session;
    final Engine engine;
    final Triggers triggers;
    final boolean virtual;
    final RunReport startup;
    private final Map<String, NodeLife> upLives = new HashMap<>();
    private final ConcurrentLinkedDeque<Runnable> procedures = new ConcurrentLinkedDeque<>();
    private Plan plan;
    private Thread thread;
    private volatile boolean stopped;

    Living(Backend backend, Engine.Options options, Plan plan, boolean restartDependentsOnAutomaticRestart) {
        this(backend, options, plan, restartDependentsOnAutomaticRestart, true);
    }

    /** With {@code schedules} false, no trigger fires on its own: only {@code trigger(...)} starts runs. */
    Living(Backend backend, Engine.Options options, Plan plan, boolean restartDependentsOnAutomaticRestart,
           boolean schedules) {
        this.session = new Session(backend, options.listener(), options.timeout());
        this.engine = new Engine(session, options);
        this.virtual = backend.time().isVirtual();
        this.plan = plan;
        this.startup = engine.up(plan, false);
        adopt(engine.lastUp);
        if (restartDependentsOnAutomaticRestart) {
            engine.lastUp.onRestart = life -> procedures.add(() -> restartDependentsOf(life.node.name()));
        }
        this.triggers = new Triggers(session, upLives::get);
        session.afterStep = triggers::check;
        triggers.arm(plan, schedules, schedules);
        if (!virtual) {
            thread = new Thread(this::loop, "ordo-live-" + plan.deployment().name());
            thread.setDaemon(true);
            thread.start();
        }
    }

    Plan plan() {
        return plan;
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
        List<String> dependents = withRestartDependents(plan, new LinkedHashSet<>(List.of(node)));
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
    <T> T call(Supplier<T> work) {
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
    void command(Runnable command) {
        if (virtual) {
            command.run();
        } else {
            session.inbox.post(command);
        }
    }

    /** Waits for {@code f}; in virtual time, by driving the engine until it completes. */
    <T> T await(CompletableFuture<T> f) {
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
    void drive(BooleanSupplier done, String what) {
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
    void advanceTo(Instant until) {
        while (session.now().isBefore(until)) {
            runProcedures();
            session.step(until);
        }
        runProcedures();
        while (!session.inbox.isEmpty()) {
            session.step(session.now());
        }
    }

    void resizePool(String pool, int slots) {
        command(() -> {
            session.pools.resize(pool, slots);
            session.emit(RunEvent.Type.POOL_RESIZED, pool, slots + " slots");
        });
    }

    boolean awaitPoolIdle(String pool, Duration timeout) {
        return call(() -> {
            Instant deadline = session.now().plus(timeout);
            while (session.pools.used(pool) > 0 && session.now().isBefore(deadline) && session.lost == null) {
                session.step(deadline);
            }
            return session.pools.used(pool) == 0;
        });
    }

    /**
     * AlphaKraken's redeploy: drain the pools, wait for their running members, stop the changed nodes in reverse
     * order, bring the new plan up, restore the pools, fire the new plan's triggers.
     */
    RunReport redeploy(Plan next, List<String> drain, Duration drainTimeout) {
        return call(() -> {
            Map<String, Integer> before = new HashMap<>();
            for (String p : drain) {
                before.put(p, session.pools.pool(p).map(Pool::slots).orElse(0));
                session.pools.resize(p, 0);
                session.emit(RunEvent.Type.POOL_RESIZED, p, "0 slots (drained for a redeploy)");
            }
            Instant deadline = session.now().plus(drainTimeout);
            for (String p : drain) {
                while (session.pools.used(p) > 0 && session.now().isBefore(deadline) && session.lost == null) {
                    session.step(deadline);
                }
                if (session.pools.used(p) > 0) {
                    restore(before, next);
                    throw new OrdoException("redeploy of '" + plan.deployment().name() + "': pool '" + p + "' still has "
                            + session.pools.used(p) + " running member(s) after " + Session.human(drainTimeout)
                            + "; nothing was stopped and the pools were restored; wait for them or raise the timeout");
                }
            }
            List<String> changed = changed(plan, next);
            new Teardown(session, plan.deployment(), session.now()).run(changed, true);
            RunReport report = engine.up(next, false);
            changed.forEach(upLives::remove);
            adopt(engine.lastUp);
            plan = next;
            restore(before, next);
            triggers.arm(next, false, true);
            return report;
        });
    }

    private void restore(Map<String, Integer> before, Plan next) {
        before.forEach((p, slots) -> {
            int restored = next.deployment().pools().containsKey(p) ? next.deployment().pools().get(p).slots() : slots;
            session.pools.resize(p, restored);
            session.emit(RunEvent.Type.POOL_RESIZED, p, restored + " slots (restored)");
        });
    }

    /** Nodes of {@code old} that {@code next} changes or drops, with their restart(true) dependents. */
    private static List<String> changed(Plan old, Plan next) {
        Set<String> changed = new LinkedHashSet<>();
        for (Node n : old.nodes()) {
            Optional<Node> m = next.node(n.name());
            if (m.isEmpty() || !m.get().configHash().equals(n.configHash())) {
                changed.add(n.name());
            }
        }
        return withRestartDependents(old, changed);
    }

    private static List<String> withRestartDependents(Plan plan, Set<String> seed) {
        Set<String> all = new LinkedHashSet<>(seed);
        ArrayDeque<String> work = new ArrayDeque<>(seed);
        while (!work.isEmpty()) {
            String n = work.poll();
            for (Node d : plan.nodes()) {
                for (Dependency dep : d.dependencies()) {
                    if (dep.target().equals(n) && dep.restart() && all.add(d.name())) {
                        work.add(d.name());
                    }
                }
            }
        }
        return new ArrayList<>(all);
    }

    /** Restarts {@code node} and its restart(true) dependents: stopped in reverse order, started in order. */
    RunReport restart(String node) {
        plan.deployment().requireNode(node);
        return call(() -> {
            List<String> nodes = withRestartDependents(plan, new LinkedHashSet<>(List.of(node)));
            Instant t0 = session.now();
            new Teardown(session, plan.deployment(), t0).run(nodes, true);
            Flow flow = new Flow(session, engine.options().failurePolicy(), Optional.empty(), false);
            List<Node> order = plan.nodes().stream().filter(n -> nodes.contains(n.name())).toList();
            order.forEach(flow::add);
            for (Node n : order) {
                for (Dependency d : n.dependencies()) {
                    if (nodes.contains(d.target())) {
                        flow.connect(d.target(), n.name(), d.condition(), d.restart());
                    }
                }
            }
            flow.prioritise(order);
            flow.begin();
            session.runUntil(() -> flow.settled() && session.inbox.isEmpty());
            nodes.forEach(upLives::remove);
            adopt(flow);
            List<NodeTimeline> rows = new ArrayList<>();
            flow.lives.values().forEach(l -> rows.add(l.timeline(flow)));
            return new RunReport(plan.deployment().name(), RunReport.Operation.RESTART, session.backend.name(), t0,
                    Duration.between(t0, session.now()), rows,
                    Optional.ofNullable(session.lost).map(u -> session.outage(u, "restart")), List.of());
        });
    }

    /** Stops firing, waits for (or cancels) the runs, and lets the services run on. */
    void close(boolean cancelRuns) {
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

    boolean closed() {
        return stopped;
    }

    Deployment deployment() {
        return plan.deployment();
    }
}
