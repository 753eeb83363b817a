package dev.ordo.dataflow;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.run.Failure;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.ReplicaRestarts;
import dev.ordo.spi.RestartBackoff;
import dev.ordo.spi.Staging;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine thread's state over a backend: its inbox of facts and commands, its timers, the pools, and every node
 * life any {@link Flow} (an {@code up}, a triggered run) has registered, by key. It dispatches each fact to the life
 * it names, or to a teardown waiting for a node to stop. A one-shot {@code up} uses one for its duration; a living
 * deployment keeps one for its whole life.
 */
final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** Node state changes, at INFO: {@code shop: node 'db' HEALTHY at 2.1s}. */
    static final Logger PROGRESS = LoggerFactory.getLogger("dev.ordo.progress");

    final Backend backend;
    final TimeSource time;
    final Inbox inbox = new Inbox();
    final Timers timers = new Timers();
    final Duration timeout;
    final RestartBackoff backoff;
    final Pools pools = new Pools();
    final Instant t0;
    private final RunListener listener;
    private final Map<String, NodeLife> lives = new HashMap<>();
    private final Map<String, Consumer<Fact>> stopWaiters = new HashMap<>();
    private final Set<String> inBackground = new HashSet<>();
    private final List<Flow> flows = new ArrayList<>();
    private Deployment deployment;
    private Fact.Unreachable lost;
    /** How many facts, commands and timers the session has handled: whether a step did anything. */
    long handled;
    /**
     * The outage a teardown goes on despite (see {@link #despiteLoss}): while set, the lost platform's further
     * reports of it are kept here instead of halting the session.
     */
    Fact.Unreachable tolerated;
    private Runnable afterStep = () -> { };

    Session(Backend backend, RunListener listener, Duration timeout) {
        this.backend = backend;
        this.time = backend.time();
        this.listener = listener;
        this.timeout = timeout;
        this.backoff = backend.restartBackoff();
        this.t0 = time.now();
    }

    Instant now() {
        return time.now();
    }

    void register(NodeLife life) {
        lives.put(life.key(), life);
    }

    void forget(NodeLife life) {
        lives.remove(life.key(), life);
    }

    NodeLife life(String key) {
        return lives.get(key);
    }

    void addFlow(Flow f) {
        flows.add(f);
    }

    void removeFlow(Flow f) {
        flows.remove(f);
    }

    /** Routes the next {@link Fact.Stopped} or {@link Fact.Refused} of {@code key} to {@code waiter}. */
    void awaitStop(String key, Consumer<Fact> waiter) {
        stopWaiters.put(key, waiter);
        NodeLife life = lives.get(key);
        if (life != null) {
            life.stopping(); // exits from now on are the stop's doing, not crashes
        }
    }

    void stopAwaited(String key) {
        stopWaiters.remove(key);
    }

    /**
     * Stops (per {@code mode}) {@code key}'s containers, a finished run's step, without waiting here; a living
     * deployment's close waits until the platform has said so for every one ({@link #stopsInFlight}).
     */
    void stopInBackground(String key, StopMode mode) {
        inBackground.add(key);
        awaitStop(key, f -> {
            inBackground.remove(key);
            stopAwaited(key);
        });
        stop(key, mode);
    }

    /** Whether a stop of {@link #stopInBackground} still waits for the platform's word. */
    boolean stopsInFlight() {
        return !inBackground.isEmpty();
    }

    /** Drives the engine until {@code done} holds or the platform stops answering. */
    void runUntil(BooleanSupplier done) {
        while (lost == null && !done.getAsBoolean()) {
            step(TimeSource.NEVER);
        }
    }

    /**
     * Set while an {@code up} can end on an interruption of its thread (SIGTERM, Ctrl-C in the runner): the step then
     * records it in {@link #interrupted} instead of throwing, and the up ends under its failure policy.
     */
    private boolean endsOnInterrupt;
    /** Whether the thread running an {@code up} was interrupted. */
    private boolean interrupted;

    /** An operation on {@code d} begins: no platform is lost yet. */
    void begin(Deployment d) {
        deployment = d;
        lost = null;
    }

    /** From now on an interruption of the thread ends the up instead of failing the step; or no longer. */
    void endOnInterrupt(boolean ends) {
        if (ends) {
            interrupted = false;
        }
        endsOnInterrupt = ends;
    }

    /** Whether a flow of this session follows {@code key} (a node, or a step of a run in flight). */
    boolean follows(String key) {
        return lives.containsKey(key);
    }

    boolean interrupted() {
        return interrupted;
    }

    /** The deployment of the current operation, or null before the first. */
    Deployment deployment() {
        return deployment;
    }

    /** The platform that stopped answering during the current operation, or null. */
    Fact.Unreachable lost() {
        return lost;
    }

    /** Runs {@code check} after every step: a living deployment checks there whether a triggered run has settled. */
    void afterStep(Runnable check) {
        afterStep = check;
    }

    /** Waits for a fact, a command or a timer (no later than {@code limit}), then handles whatever is due. */
    void step(Instant limit) {
        Instant next = timers.next();
        try {
            time.await(inbox, next.isBefore(limit) ? next : limit);
        } catch (InterruptedException e) {
            if (endsOnInterrupt) {
                interrupted = true;
                return;
            }
            Thread.currentThread().interrupt();
            throw new OrdoException("the engine of '" + (deployment == null ? "?" : deployment.name())
                    + "' was interrupted; nodes already started keep running: run up again to converge, or down to"
                    + " remove them");
        }
        for (Object o = inbox.poll(); o != null; o = inbox.poll()) {
            handled++;
            handle(o);
        }
        timers.fireDue(time.now(), owner -> {
            handled++;
            if (owner instanceof NodeLife l) {
                l.flow.track(l);
            }
        });
        afterStep.run();
    }

    /**
     * Runs {@code action} (a teardown) although the platform was lost: a backend that runs a deployment in
     * several places (Docker engines) can still stop what runs on the others. The loss stays the session's.
     */
    <T> T despiteLoss(Supplier<T> action) {
        Fact.Unreachable u = lost;
        lost = null;
        tolerated = u;
        try {
            return action.get();
        } finally {
            tolerated = null;
            lost = u;
        }
    }

    private void handle(Object o) {
        if (o instanceof Runnable command) {
            command.run();
            return;
        }
        Fact f = (Fact) o;
        if (f instanceof Fact.Unreachable u) {
            if (tolerated != null) {
                return;
            }
            if (lost == null) {
                lost = u;
                new ArrayList<>(flows).forEach(flow -> flow.interrupt(u));
            }
            return;
        }
        String key = f.node();
        Consumer<Fact> waiter = stopWaiters.get(key);
        if (waiter != null && (f instanceof Fact.Stopped || f instanceof Fact.Refused)) {
            waiter.accept(f);
            return;
        }
        NodeLife life = lives.get(key);
        if (life != null) {
            life.on(f);
            life.flow.track(life);
        }
    }

    /** Starts the backend on {@code launch}; a backend that throws refuses the node. */
    void start(NodeLife r, Launch launch) {
        try {
            backend.start(launch, inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to start {}", backend.name(), r.key(), e);
            inbox.report(new Fact.Refused(r.key(), e.getMessage()));
        }
    }

    /** Asks the backend to stage {@code launch}; staging is an optimisation, so a backend that throws is ignored. */
    void stage(Launch launch) {
        toStaging(launch, true);
    }

    /** Tells the backend that {@code launch} will not start after all. */
    void unstage(Launch launch) {
        toStaging(launch, false);
    }

    private void toStaging(Launch launch, boolean stage) {
        if (!(backend instanceof Staging staging)) {
            return;
        }
        try {
            if (stage) {
                staging.stage(launch);
            } else {
                staging.unstage(launch);
            }
        } catch (RuntimeException e) {
            LOG.debug("backend {} could not {} {}", backend.name(), stage ? "stage" : "unstage", launch.key(), e);
        }
    }

    /** Asks the backend to restart one replica of {@code key}, whose liveness failed. */
    void restart(String key, int replica) {
        if (!(backend instanceof ReplicaRestarts restarts)) {
            inbox.report(new Fact.Refused(key, "the " + backend.name() + " backend reported liveness probes but cannot"
                    + " restart a single replica; a backend that reports Fact.Liveness implements ReplicaRestarts"));
            return;
        }
        try {
            restarts.restart(deployment, key, replica);
        } catch (RuntimeException e) {
            LOG.debug("backend {} could not restart {} replica {}", backend.name(), key, replica, e);
            inbox.report(new Fact.Refused(key, "the platform could not restart replica " + replica + " after its"
                    + " liveness check failed: " + e.getMessage()));
        }
    }

    /** Asks the backend to stop {@code key}; a backend that throws refuses the stop. */
    void stop(String key, StopMode mode) {
        try {
            backend.stop(deployment, key, mode, inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to stop {}", backend.name(), key, e);
            inbox.report(new Fact.Refused(key, e.getMessage()));
        }
    }

    void emit(RunEvent.Type type, String node, String detail) {
        // Each state change at INFO, so that an embedding application sees progress in its own logs. A container's
        // output lines (LOG) are not logged: they are the node's, and may hold what its own program printed.
        if (type != RunEvent.Type.LOG && PROGRESS.isInfoEnabled()) {
            PROGRESS.info("{}: node '{}' {} at {}{}", deployment == null ? "?" : deployment.name(), node, type,
                    human(Duration.between(t0, time.now())), detail.isBlank() ? "" : " (" + detail + ")");
        }
        try {
            listener.onEvent(new RunEvent(type, node, Duration.between(t0, time.now()), detail));
        } catch (RuntimeException e) {
            // A listener's bug must not leave containers half-started.
            LOG.warn("run listener threw on {} {}; ignoring it", type, node, e);
        }
    }

    Failure outage(Fact.Unreachable u, String operation) {
        return Failure.of(Failure.Reason.PLATFORM_UNREACHABLE, operation + " of '"
                + (deployment == null ? "?" : deployment.name()) + "' stopped: " + u.platform() + " does not answer"
                + (u.detail().isBlank() ? "" : " (" + u.detail() + ")") + "; no node is at fault"
                + (u.fix().isBlank() ? "" : "; " + u.fix()) + "; the next up converges from whatever is left");
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
