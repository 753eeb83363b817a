package dev.ordo.dataflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One replica of a node as core sees it: what the backend reported of it, and the timers core keeps for it. Its
 * fields are read by the node's rules and changed only through the methods below, each named for the fact or the
 * verdict that changes it.
 */
final class Replica {
    private boolean everStarted;
    private boolean running;
    private boolean passed;
    private boolean reused;
    private Instant startedAt;
    private int quickRestarts;
    /** Quick restarts before the one core now waits for: what the platform's backoff doubles on. */
    private int restartConsecutive;
    /** Restarts after a non-zero exit (not for liveness): what an ON_FAILURE limit counts, as Docker does. */
    private int failureRestarts;
    private Integer lastExit;
    private List<String> lastTail = List.of();
    private String lastProbe = "";
    private Duration latency = Duration.ZERO;
    private Timers.Ticket restartWait;
    private Timers.Ticket healthBudget;
    private Timers.Ticket failing;
    /** Liveness probes failed in a row since the last pass or start. */
    private int livenessFailures;
    /** Core asked (or the platform said it would) restart this replica for its liveness: the next exit is that. */
    private boolean livenessKill;

    boolean everStarted() {
        return everStarted;
    }

    boolean running() {
        return running;
    }

    boolean passed() {
        return passed;
    }

    boolean reused() {
        return reused;
    }

    Instant startedAt() {
        return startedAt;
    }

    int quickRestarts() {
        return quickRestarts;
    }

    int restartConsecutive() {
        return restartConsecutive;
    }

    int failureRestarts() {
        return failureRestarts;
    }

    Integer lastExit() {
        return lastExit;
    }

    List<String> lastTail() {
        return lastTail;
    }

    String lastProbe() {
        return lastProbe;
    }

    Duration latency() {
        return latency;
    }

    boolean awaitsRestart() {
        return restartWait != null;
    }

    boolean isFailing() {
        return failing != null;
    }

    boolean livenessKill() {
        return livenessKill;
    }

    /** Its first start; {@code kept} when the platform kept a container that already ran. */
    void firstStart(Instant now, boolean kept) {
        everStarted = true;
        running = true;
        reused = kept;
        startedAt = now;
    }

    /** Started again after an exit: a restart after a non-zero exit (not for liveness) counts for ON_FAILURE. */
    void restarted(Instant now) {
        restartWait = Timers.cancel(restartWait);
        if (!livenessKill && lastExit != null && lastExit != 0) {
            failureRestarts++;
        }
        livenessKill = false;
        livenessFailures = 0;
        running = true;
        passed = false;
        startedAt = now;
    }

    /** It exited with {@code code}; its health timers end with it. */
    void exited(int code, List<String> tail) {
        running = false;
        lastExit = code;
        lastTail = tail;
        healthBudget = Timers.cancel(healthBudget);
        failing = Timers.cancel(failing);
    }

    /** The restart core now waits for is the {@code consecutive}-th quick one in a row. */
    void quickRestart(int consecutive) {
        quickRestarts = consecutive + 1;
        restartConsecutive = consecutive;
    }

    /** Core waits for the platform to bring it back until {@code wait} fires. */
    void awaitRestart(Timers.Ticket wait) {
        restartWait = Timers.cancel(restartWait);
        restartWait = wait;
    }

    /** Its health is watched afresh from a start: {@code budget} fires when no probe passed in time (or null). */
    void watchHealth(Timers.Ticket budget) {
        healthBudget = Timers.cancel(healthBudget);
        failing = Timers.cancel(failing);
        healthBudget = budget;
    }

    void probeSaid(String output) {
        if (!output.isBlank()) {
            lastProbe = output;
        }
    }

    /** A probe passed: the first pass since its start sets how late core saw it ({@code detection}). */
    void probePassed(Duration detection) {
        failing = Timers.cancel(failing);
        healthBudget = Timers.cancel(healthBudget);
        if (!passed) {
            passed = true;
            latency = reused ? Duration.ZERO : detection;
        }
    }

    /** Ready before, a probe failed: {@code verdict} fires unless a probe passes first. */
    void startFailing(Timers.Ticket verdict) {
        failing = verdict;
    }

    void livenessPassed() {
        livenessFailures = 0;
    }

    /** A counted liveness failure; returns how many in a row. */
    int livenessFailed() {
        return ++livenessFailures;
    }

    /** Its next exit is a restart for liveness, by core or by the platform. */
    void killedForLiveness() {
        livenessKill = true;
    }

    /** The node's verdict is final: no timer of this replica may fire any more. */
    void cancelTimers() {
        restartWait = Timers.cancel(restartWait);
        healthBudget = Timers.cancel(healthBudget);
        failing = Timers.cancel(failing);
    }
}
