package dev.ordo.docker.internal.run;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The times the engine keeps of a container's runs, as a replica's facts need them: when its current run started,
 * and where that run's output begins.
 *
 * <pre>{@code
 * Instant started = ContainerTimes.parse(info.getState().getStartedAt(), Instant.now());
 * Instant since = ContainerTimes.outputSince(info, started);
 * }</pre>
 */
final class ContainerTimes {
    /** How long before its recorded start a process's first line may be stamped (measured: a few ms). */
    static final Duration EARLY_OUTPUT = Duration.ofMillis(50);

    private ContainerTimes() {
    }

    /**
     * Where a container's current run's output begins. While it runs, FinishedAt is its previous run's exit (if
     * Docker restarted it); once it has exited, FinishedAt is this run's own exit, which the engine may even stamp
     * before StartedAt, and an earlier run's end is unknown: then a little before StartedAt.
     */
    static Instant outputSince(InspectContainerResponse info, Instant startedAt) {
        var state = info.getState();
        boolean running = Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting());
        Integer restarts = info.getRestartCount();
        if (restarts == null || restarts == 0) {
            return Instant.EPOCH;
        }
        Instant finished = parse(state.getFinishedAt(), Instant.EPOCH);
        return running && finished.isBefore(startedAt) ? finished : startedAt.minus(EARLY_OUTPUT);
    }

    /** An engine's time, or {@code otherwise} when it has none (Docker's zero time is year 1). */
    static Instant parse(String engineTime, Instant otherwise) {
        if (engineTime == null || engineTime.startsWith("0001-")) {
            return otherwise;
        }
        try {
            return Instant.parse(engineTime);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }
}
