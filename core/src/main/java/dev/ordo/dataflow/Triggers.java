package dev.ordo.dataflow;

import dev.ordo.CatchUp;
import dev.ordo.CronSchedule;
import dev.ordo.OrdoException;
import dev.ordo.Overlap;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import dev.ordo.run.LivingState;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunOrigin;
import dev.ordo.run.RunReport;
import dev.ordo.run.StateStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * A living deployment's triggers, on its session's engine thread: fires them on time (cron in its zone, fixed
 * interval, at start), applies each trigger's overlap policy and concurrency key, queues runs, starts and finishes
 * {@link PipelineRun}s and keeps the last reports of each trigger.
 */
final class Triggers {
    private final Session session;
    private final Function<String, NodeLife> upLives;
    private final Map<String, Timers.Ticket> timers = new HashMap<>();
    private final List<PipelineRun> running = new ArrayList<>();
    private final Deque<PipelineRun> queued = new ArrayDeque<>();
    private final Map<String, Deque<RunReport>> history = new LinkedHashMap<>();
    private final Map<String, Instant> nextFire = new HashMap<>();
    private final StateStore store;
    /** By trigger, the due instant of its last scheduled fire: what the store keeps for the next holder. */
    private final Map<String, Instant> lastFires = new HashMap<>();
    private Plan plan;
    private int counter;
    private boolean firing = true;

    Triggers(Session session, Function<String, NodeLife> upLives, StateStore store) {
        this.session = session;
        this.upLives = upLives;
        this.store = store;
    }

    /**
     * A holder starts again with what an earlier one kept: each scheduled trigger's fires due since its last one
     * (up to now) were missed. Each is reported as {@code FIRE_MISSED}; those its {@link CatchUp} policy keeps run
     * now, with their own due instants' parameters.
     */
    void catchUp(Optional<LivingState> kept) {
        kept.ifPresent(k -> lastFires.putAll(k.lastFires()));
        Instant now = session.now();
        for (Trigger t : plan.triggers()) {
            Instant last = lastFires.get(t.name());
            if (last == null || t.kind() == Trigger.Kind.MANUAL) {
                continue;
            }
            List<Instant> missed = new ArrayList<>();
            for (Instant due = dueAfter(t, last); !due.isAfter(now) && missed.size() < MISSED_LIMIT;
                 due = dueAfter(t, due)) {
                missed.add(due);
            }
            CatchUp policy = t.catchUp();
            for (int i = 0; i < missed.size(); i++) {
                Instant due = missed.get(i);
                boolean runs = switch (policy.policy()) {
                    case SKIP -> false;
                    case LATEST -> i == missed.size() - 1;
                    case WITHIN -> !due.isBefore(now.minus(policy.window()));
                };
                session.emit(RunEvent.Type.FIRE_MISSED, t.name(), "due " + due + (runs ? "; runs now" : "; skipped")
                        + " (catch-up " + policy.policy() + ")");
                if (runs) {
                    fire(t, "catch-up", due, Map.of(), new CompletableFuture<>());
                }
            }
            if (!missed.isEmpty()) {
                // Skipped fires are settled too: the next holder does not report them again.
                lastFires.put(t.name(), missed.get(missed.size() - 1));
                store.save(new LivingState(plan.deployment().name(), lastFires));
            }
        }
    }

    /**
     * Queues one run of {@code t} per due instant from {@code from} to {@code to} (both included), oldest first; they
     * run one after another, as queued runs do, whatever the trigger's overlap policy.
     */
    List<CompletableFuture<RunReport>> backfill(Trigger t, Instant from, Instant to) {
        List<Instant> dues = new ArrayList<>();
        for (Instant due = dueAfter(t, from.minusNanos(1)); !due.isAfter(to); due = dueAfter(t, due)) {
            if (dues.size() == MISSED_LIMIT) {
                throw new OrdoException("cannot backfill trigger '" + t.name() + "' from " + from + " to " + to
                        + ": it was due more than " + MISSED_LIMIT + " times in that range; backfill a shorter one");
            }
            dues.add(due);
        }
        List<CompletableFuture<RunReport>> futures = new ArrayList<>();
        for (Instant due : dues) {
            CompletableFuture<RunReport> future = new CompletableFuture<>();
            PipelineRun run = new PipelineRun("r" + (++counter), t, "backfill", due, Map.of(), future, session, plan);
            session.emit(RunEvent.Type.FIRED, t.name(), run.id + " (backfill, due " + due + ")");
            queued.add(run);
            futures.add(future);
        }
        check();
        return futures;
    }

    /** How many missed fires of one trigger are looked at, at most: a gap of years is not walked minute by minute. */
    static final int MISSED_LIMIT = 10_000;

    private Instant dueAfter(Trigger t, Instant after) {
        return t.kind() == Trigger.Kind.CRON
                ? cronSchedules.computeIfAbsent(t.name(), x -> t.schedule().orElseThrow()).next(after)
                : after.plus(t.every().orElseThrow());
    }

    /**
     * Schedules the plan's triggers (replacing earlier ones) unless {@code schedules} is false, and with
     * {@code atStart} fires those that fire at start.
     */
    void arm(Plan newPlan, boolean atStart, boolean schedules) {
        this.plan = newPlan;
        timers.values().forEach(Timers.Ticket::cancel);
        timers.clear();
        nextFire.clear();
        cronSchedules.clear();
        Instant now = session.now();
        for (Trigger t : newPlan.triggers()) {
            history.computeIfAbsent(t.name(), k -> new ArrayDeque<>());
            if (schedules) {
                scheduleNext(t, now);
            }
            if (atStart && t.atStart()) {
                fire(t, "at start", now, Map.of(), new CompletableFuture<>());
            }
        }
    }

    // Parsed once per trigger, not at every fire.
    private final Map<String, CronSchedule> cronSchedules = new HashMap<>();

    private void scheduleNext(Trigger t, Instant after) {
        Optional<Instant> next = switch (t.kind()) {
            case CRON -> Optional.of(cronSchedules.computeIfAbsent(t.name(), x -> t.schedule().orElseThrow()).next(after));
            case INTERVAL -> Optional.of(after.plus(t.every().orElseThrow()));
            case MANUAL -> Optional.empty();
        };
        next.ifPresent(at -> {
            nextFire.put(t.name(), at);
            timers.put(t.name(), session.timers.at(at, null, () -> {
                if (firing) {
                    fire(t, t.kind() == Trigger.Kind.CRON ? "schedule" : "interval", at, Map.of(),
                            new CompletableFuture<>());
                    scheduleNext(t, at);
                }
            }));
        });
    }

    /** When {@code trigger} fires next on its own, if it does. */
    Optional<Instant> nextFire(String trigger) {
        return Optional.ofNullable(nextFire.get(trigger));
    }

    /** Stops firing: no timer fires and nothing queued starts any more. */
    void disarm() {
        firing = false;
        timers.values().forEach(Timers.Ticket::cancel);
        timers.clear();
        nextFire.clear();
    }

    /** A fire of {@code t}: run it now, queue it, replace the running one or skip it, as its overlap says. */
    void fire(Trigger t, String cause, Instant at, Map<String, String> overrides,
              CompletableFuture<RunReport> future) {
        if (!cause.equals("manual") && !cause.equals("at start")) {
            // Recorded before the run starts: a holder that dies now does not fire it again.
            lastFires.put(t.name(), at);
            store.save(new LivingState(plan.deployment().name(), lastFires));
        }
        PipelineRun run = new PipelineRun("r" + (++counter), t, cause, at, overrides, future, session, plan);
        session.emit(RunEvent.Type.FIRED, t.name(), run.id + " (" + cause + ", due " + at + ")");
        List<PipelineRun> conflicts = conflicts(t);
        if (conflicts.isEmpty() || t.overlap() == Overlap.ALLOW) {
            begin(run);
            return;
        }
        String with = conflicts.stream().map(r -> r.id + " of '" + r.trigger.name() + "'").toList().toString();
        switch (t.overlap()) {
            case SKIP -> {
                String why = "skipped: " + with + (t.concurrencyKey().isPresent() ? " (concurrency key '"
                        + t.concurrencyKey().get() + "')" : "") + " is still running (overlap SKIP)";
                session.emit(RunEvent.Type.FIRE_SKIPPED, t.name(), run.id + " " + why);
                run.cancel(why);
                keep(run.finish());
                run.future.complete(lastOf(t.name()));
            }
            case QUEUE -> {
                session.emit(RunEvent.Type.RUN_QUEUED, t.name(), run.id + " waits for " + with);
                queued.add(run);
            }
            case REPLACE -> {
                // The replaced runs stop first: the new one starts once their containers are gone.
                conflicts.forEach(r -> r.replaceBy(run.id));
                queued.addFirst(run);
            }
            default -> throw new AssertionError(t.overlap());
        }
    }

    private List<PipelineRun> conflicts(Trigger t) {
        return running.stream().filter(r -> r.trigger.name().equals(t.name()) || t.concurrencyKey().isPresent()
                && t.concurrencyKey().equals(r.trigger.concurrencyKey())).toList();
    }

    private void begin(PipelineRun run) {
        running.add(run);
        run.start(upLives);
    }

    /** After every engine step: ends the runs that settled and starts queued runs that may now go. */
    void check() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (PipelineRun r : new ArrayList<>(running)) {
                if (r.settled()) {
                    running.remove(r);
                    RunReport report = r.finish();
                    keep(report);
                    r.future.complete(report);
                    changed = true;
                }
            }
            for (PipelineRun q : new ArrayList<>(queued)) {
                if (firing && conflicts(q.trigger).isEmpty()) {
                    queued.remove(q);
                    begin(q);
                    changed = true;
                }
            }
        }
    }

    /** Told of each finished run, on the session's thread; a user's hook (e.g. a history file). */
    private volatile Consumer<RunReport> onFinished = r -> { };

    /** Called on the engine thread with each triggered run's report, once it has finished. */
    void onFinished(Consumer<RunReport> hook) {
        onFinished = hook;
    }

    private void keep(RunReport report) {
        try {
            onFinished.accept(report);
        } catch (RuntimeException e) {
            // The hook is the user's: its failure must not stop the schedule.
            LoggerFactory.getLogger(Triggers.class).warn("run hook threw on {}; ignoring it",
                    report.origin().map(RunOrigin::run).orElse("?"), e);
        }
        String trigger = report.origin().orElseThrow().trigger();
        Deque<RunReport> h = history.computeIfAbsent(trigger, k -> new ArrayDeque<>());
        h.addLast(report);
        int keep = plan.deployment().triggers().containsKey(trigger)
                ? plan.deployment().triggers().get(trigger).keep() : Trigger.DEFAULT_KEEP;
        while (h.size() > keep) {
            h.removeFirst();
        }
    }

    private RunReport lastOf(String trigger) {
        return history.get(trigger).peekLast();
    }

    /** The kept reports of {@code trigger}, oldest first. */
    List<RunReport> history(String trigger) {
        return List.copyOf(history.getOrDefault(trigger, new ArrayDeque<>()));
    }

    /** Every kept report, by trigger. */
    Map<String, List<RunReport>> history() {
        Map<String, List<RunReport>> all = new LinkedHashMap<>();
        history.forEach((k, v) -> all.put(k, List.copyOf(v)));
        return all;
    }

    /** Whether a run is going or waiting. */
    boolean busy() {
        return !running.isEmpty() || !queued.isEmpty();
    }

    /** Cancels every running and queued run; each ends failed with {@code why}. */
    void cancelAll(String why) {
        dropQueued(why);
        running.forEach(r -> r.cancel(why));
        check();
    }

    /** Drops queued runs (they never start) and lets running ones finish. */
    void dropQueued(String why) {
        for (PipelineRun q : new ArrayList<>(queued)) {
            queued.remove(q);
            q.cancel(why);
            RunReport report = q.finish();
            keep(report);
            q.future.complete(report);
        }
    }
}
