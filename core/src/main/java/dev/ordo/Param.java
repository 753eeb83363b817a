package dev.ordo;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The value of an environment variable a triggered run passes to its steps: a constant, or computed from the instant
 * the trigger fired, read in the trigger's zone (UTC unless given).
 *
 * <pre>{@code
 * .env("MODE", "daily")                       // a constant
 * .env("EVENT_DATE", Param.previousDay())     // 2026-03-01 for a fire at 2026-03-02T02:00Z
 * }</pre>
 */
public final class Param {
    private final String description;
    private final Function<ZonedDateTime, String> value;
    private final Optional<String> constant;

    private Param(String description, Function<ZonedDateTime, String> value, Optional<String> constant) {
        this.description = description;
        this.value = value;
        this.constant = constant;
    }

    private Param(String description, Function<ZonedDateTime, String> value) {
        this(description, value, Optional.empty());
    }

    /** Always {@code value}. */
    public static Param constant(String value) {
        Objects.requireNonNull(value, "value == null");
        return new Param("'" + value + "'", t -> value, Optional.of(value));
    }

    /** The day before the fire, as an ISO date ({@code 2026-03-01}). */
    public static Param previousDay() {
        return new Param("the day before the fire (ISO date)", t -> t.minusDays(1).toLocalDate().toString());
    }

    /** The day of the fire, as an ISO date. */
    public static Param fireDate() {
        return new Param("the day of the fire (ISO date)", t -> t.toLocalDate().toString());
    }

    /** The fire instant, as an ISO offset date-time ({@code 2026-03-02T02:00Z}). */
    public static Param fireTime() {
        return new Param("the fire time (ISO date-time)", t -> t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** A value computed from the fire time by {@code value}; {@code description} says what it is, for reports. */
    public static Param computed(String description, Function<ZonedDateTime, String> value) {
        return new Param(Objects.requireNonNull(description, "description == null"),
                Objects.requireNonNull(value, "value == null"));
    }

    /**
     * The value when it is a constant; empty when it is computed at each fire (a platform that cannot compute,
     * such as a Kubernetes CronJob, can carry only constants).
     */
    public Optional<String> constantValue() {
        return constant;
    }

    /** The value for a fire at {@code fire}. */
    public String at(ZonedDateTime fire) {
        String v = value.apply(Objects.requireNonNull(fire, "fire == null"));
        if (v == null) {
            throw new OrdoException("parameter " + description + " computed no value for a fire at " + fire
                    + "; make its function return a string");
        }
        return v;
    }

    @Override
    public String toString() {
        return description;
    }
}
