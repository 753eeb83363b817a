package dev.ordo.docker.internal.logs;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A log line with the engine's timestamp, when it has one ({@code docker logs --timestamps} prefixes each line).
 *
 * <pre>{@code
 * StampedLine.of("2024-05-01T10:00:00.123456789Z ready");   // at 10:00:00.123456789, "ready"
 * }</pre>
 */
record StampedLine(Instant at, String line) {
    static StampedLine of(String raw) {
        int space = raw.indexOf(' ');
        if (space > 0) {
            try {
                return new StampedLine(Instant.parse(raw.substring(0, space)), raw.substring(space + 1));
            } catch (DateTimeParseException notStamped) {
                // keep the raw line
            }
        }
        return new StampedLine(Instant.MIN, raw);
    }
}
