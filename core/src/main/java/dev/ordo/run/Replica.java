package dev.ordo.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One replica of a node as core sees it: what the backend reported of it, and the timers core keeps for it. */
final class Replica {
    boolean everStarted;
    boolean running;
    boolean passed;
    boolean reused;
    Instant startedAt;
    int quickRestarts;
    /** Quick restarts before the one core now waits for: what the platform's backoff doubles on. */
    int restartConsecutive;
    /** Restarts after a non-zero exit (not for liveness): what an ON_FAILURE limit counts, as Docker does. */
    int failureRestarts;
    Integer lastExit;
    List<String> lastTail = List.of();
    String lastProbe = "";
    Duration latency = Duration.ZERO;
    Timers.Ticket restartWait;
    Timers.Ticket healthBudget;
    Timers.Ticket failing;
    /** Liveness probes failed in a row since the last pass or start. */
    int livenessFailures;
    /** Core asked the backend to restart this replica for its liveness: the next exit is that restart's. */
    boolean livenessKill;
}
