package dev.ordo;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
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

    private static final int DAY = 86_400;

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime execution;
    /**
     * For a schedule that fires the same minutes every day in a zone without daylight saving ({@code m h * * *} in
     * UTC, the common case): those minutes of the day, sorted, found once; null otherwise. A living deployment asks
     * for the next fire after every fire, and the general rules cost far more than a search in a day's minutes.
     */
    private final int[] dailyMinutes;

    private CronSchedule(String expression, String fields, ZoneId zone, ExecutionTime execution) {
        this.expression = expression;
        this.zone = zone;
        this.execution = execution;
        this.dailyMinutes = everyDay(fields, zone) ? minutesOfOneDay(execution, zone) : null;
    }

    private static boolean everyDay(String fields, ZoneId zone) {
        String[] f = fields.trim().split("\\s+");
        return f.length == 5 && f[2].equals("*") && f[3].equals("*") && f[4].equals("*")
                && zone.getRules().isFixedOffset();
    }

    private static int[] minutesOfOneDay(ExecutionTime execution, ZoneId zone) {
        ZonedDateTime dayStart = ZonedDateTime.of(2001, 1, 1, 0, 0, 0, 0, zone);
        ZonedDateTime t = dayStart.minusSeconds(1);
        int[] minutes = new int[24 * 60];
        int n = 0;
        while (true) {
            Optional<ZonedDateTime> next = execution.nextExecution(t);
            if (next.isEmpty() || !next.get().toLocalDate().equals(dayStart.toLocalDate())) {
                return Arrays.copyOf(minutes, n);
            }
            minutes[n++] = next.get().getHour() * 60 + next.get().getMinute();
            t = next.get();
        }
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
            return new CronSchedule(expression.strip(), fields, zone, ExecutionTime.forCron(PARSER.parse(fields)));
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
        if (dailyMinutes != null && dailyMinutes.length > 0) {
            return nextOfTheDay(after);
        }
        return nextByRules(after);
    }

    private Instant nextOfTheDay(Instant after) {
        long offset = zone.getRules().getOffset(after).getTotalSeconds();
        long local = after.getEpochSecond() + offset;
        long day = Math.floorDiv(local, DAY);
        long secondOfDay = Math.floorMod(local, DAY);
        // the first minute whose start is strictly after the second 'after' falls in (fires are whole minutes)
        int i = Arrays.binarySearch(dailyMinutes, (int) (secondOfDay / 60));
        i = i >= 0 ? i + 1 : -i - 1;
        long minute = i < dailyMinutes.length ? dailyMinutes[i] : dailyMinutes[0] + 24 * 60;
        return Instant.ofEpochSecond(day * DAY + minute * 60 - offset);
    }

    /** The next fire by cron's general rules (any fields, any zone). */
    Instant nextByRules(Instant after) {
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
