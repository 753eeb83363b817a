package dev.ordo.run;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a triggered run came from: its trigger, its id, why it ran, when the trigger fired, and the environment
 * values each step received (constants, values computed from the fire time, and overrides).
 *
 * <pre>{@code
 * RunOrigin o = report.origin().orElseThrow();
 * o.parameters().get("ingestion").get("EVENT_DATE");   // "2026-03-01"
 * }</pre>
 *
 * @param trigger    the trigger's name
 * @param run        the run's id, e.g. {@code r7}; its containers carry it
 * @param cause      why it ran: {@code schedule}, {@code interval}, {@code manual}, {@code at start}
 * @param firedAt    when the trigger fired (for a schedule: the instant it was due)
 * @param parameters per step, the environment values set for this run
 */
public record RunOrigin(String trigger, String run, String cause, Instant firedAt,
                        Map<String, Map<String, String>> parameters) {
    public RunOrigin {
        Objects.requireNonNull(trigger, "trigger == null");
        Objects.requireNonNull(run, "run == null");
        Objects.requireNonNull(cause, "cause == null");
        Objects.requireNonNull(firedAt, "firedAt == null");
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        parameters = Collections.unmodifiableMap(copy);
    }
}
