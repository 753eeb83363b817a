package dev.ordo;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, or a macro such as {@code @daily}) in a
 * time zone, UTC unless given: when a cron trigger fires. Parse one to check a schedule read from configuration
 * before handing it to a deployment — a bad one is an {@link OrdoException} naming the expression and the field at
 * fault, so that a loader can report it and skip it.
 *
 * <p>A day-of-month and a day-of-week that are both restricted match either (as Vixie cron and Kubernetes do). An
 * instant that does not exist in the zone (a daylight-saving gap) is skipped.
 *
 * <pre>{@code
 * CronSchedule daily = CronSchedule.parse("0 2 * * *");
 * daily.next(Instant.parse("2026-03-01T13:57:00Z"));   // 2026-03-02T02:00:00Z
 * CronSchedule.problem("61 * * * *");                  // Optional["its minute field '61' has '61', which is not in 0..59"]
 * }</pre>
 */
public final class CronSchedule {
    // One parser for all: it is immutable and thread-safe, and building its definition is not free.
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime execution;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime execution) {
        this.expression = expression;
        this.zone = zone;
        this.execution = execution;
    }

    /** The schedule {@code expression}, in UTC. */
    public static CronSchedule parse(String expression) {
        return parse(expression, ZoneOffset.UTC);
    }

    /**
     * The schedule {@code expression} in {@code zone}.
     *
     * @throws OrdoException naming the expression and what is wrong with it
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression == null");
        Objects.requireNonNull(zone, "zone == null");
        Optional<String> problem = problem(expression);
        if (problem.isPresent()) {
            throw new OrdoException("cron expression '" + Cron.abbreviate(expression.strip()) + "' is invalid: "
                    + problem.get());
        }
        String fields = Cron.MACRO_FIELDS.getOrDefault(expression.strip().toLowerCase(Locale.ROOT), expression.strip())
                .replace('?', '*');
        try {
            return new CronSchedule(expression.strip(), zone, ExecutionTime.forCron(PARSER.parse(fields)));
        } catch (IllegalArgumentException e) {
            // Our own check accepts what Kubernetes accepts; anything the engine below refuses is reported the same way.
            throw new OrdoException("cron expression '" + Cron.abbreviate(expression.strip()) + "' is invalid: "
                    + e.getMessage(), e);
        }
    }

    /** Why {@code expression} is not a valid cron expression, or empty when it is. */
    public static Optional<String> problem(String expression) {
        Objects.requireNonNull(expression, "expression == null");
        return Cron.problem(expression);
    }

    /** The expression, as given (trimmed). */
    public String expression() {
        return expression;
    }

    /** The zone the expression's hours and days are read in. */
    public ZoneId zone() {
        return zone;
    }

    /** The first instant strictly after {@code after} at which the schedule fires. */
    public Instant next(Instant after) {
        Objects.requireNonNull(after, "after == null");
        return execution.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant)
                .orElseThrow(() -> new OrdoException("cron expression '" + expression + "' never fires after "
                        + after));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule c && c.expression.equals(expression) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return "'" + expression + "' (" + zone + ")";
    }
}
