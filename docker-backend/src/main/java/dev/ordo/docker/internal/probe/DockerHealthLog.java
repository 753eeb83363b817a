package dev.ordo.docker.internal.probe;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The results of the health check Docker runs itself in a container (its {@code HEALTHCHECK}, which Ordo installs
 * for a service's command check so that {@code docker ps} shows health), read from the container's health log. Once
 * a replica has passed, Ordo reads these instead of running the same command again: probing it as well doubled the
 * exec load — a real RabbitMQ's {@code rabbitmq-diagnostics check_running} costs about a CPU-second, and run twice a
 * second by Docker and by Ordo it took both cores of the machine until the checks timed out. Docker keeps the last five
 * results; read at least once per interval, none is missed.
 *
 * <pre>{@code
 * DockerHealthLog log = new DockerHealthLog(Instant.now());
 * Optional<List<DockerHealthLog.Entry>> fresh = log.newEntries(inspect.getState().getHealth());
 * }</pre>
 */
final class DockerHealthLog {
    /** One result of Docker's check. */
    record Entry(Instant start, boolean passed, String output) {
    }

    private Instant seenUpTo;

    /**
     * A reader of the results of checks that began after {@code since} (one that began before a replica's first
     * pass may end failing after it, telling nothing new).
     */
    DockerHealthLog(Instant since) {
        this.seenUpTo = since;
    }

    /**
     * The results of the checks that began since the last call (or since the start) and have ended, oldest first; empty when Docker runs no check
     * in the container, so that the caller probes itself.
     */
    Optional<List<Entry>> newEntries(HealthState health) {
        if (health == null || health.getLog() == null) {
            return Optional.empty();
        }
        List<Entry> fresh = new ArrayList<>();
        for (HealthStateLog log : health.getLog()) {
            Instant start = parse(log.getStart());
            if (start == null || log.getEnd() == null || !start.isAfter(seenUpTo)) {
                continue;
            }
            seenUpTo = start;
            Long code = log.getExitCodeLong();
            String out = log.getOutput() == null ? "" : log.getOutput().strip();
            boolean passed = code != null && code == 0;
            fresh.add(new Entry(start, passed, out.isEmpty() ? "exit code " + code : out));
        }
        return Optional.of(fresh);
    }

    private static Instant parse(String instant) {
        try {
            return instant == null ? null : Instant.parse(instant);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
