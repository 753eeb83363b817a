package dev.ordo;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks five-field cron expressions (minute hour day-of-month month day-of-week) as Kubernetes CronJobs accept
 * them: numbers, {@code *}, lists, ranges, steps, month and weekday names, and the {@code @hourly}-style macros.
 */
final class Cron {
    private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11),
            Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6);
    static final Map<String, String> MACRO_FIELDS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final Set<String> MACROS = Set.of("@yearly", "@annually", "@monthly",
            "@weekly", "@daily", "@midnight", "@hourly");

    private Cron() {
    }

    /** Why {@code expression} is not a valid cron expression, or empty when it is. */
    public static Optional<String> problem(String expression) {
        String e = expression.trim();
        if (MACROS.contains(e.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (e.startsWith("@")) {
            return Optional.of("'" + abbreviate(e) + "' is not a known macro; use one of " + new TreeSet<>(MACROS)
                    + " or five fields, e.g. '0 2 * * *'");
        }
        String[] parts = e.split("\\s+");
        if (parts.length != 5) {
            return Optional.of("it has " + (e.isEmpty() ? 0 : parts.length)
                    + " fields; a cron expression has 5 (minute hour day-of-month month day-of-week), e.g. '0 2 * * *'");
        }
        for (int i = 0; i < 5; i++) {
            Optional<String> p = field(parts[i], i);
            if (p.isPresent()) {
                return Optional.of("its " + FIELDS[i] + " field '" + abbreviate(parts[i]) + "' " + p.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> field(String field, int index) {
        for (String item : field.split(",", -1)) {
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                String step = item.substring(slash + 1);
                // length first: a step of twelve digits must be refused, not overflow the parser
                int max = RANGES[index][1] - RANGES[index][0] + 1;
                if (!step.matches("[0-9]{1,4}") || Integer.parseInt(step) == 0 || Integer.parseInt(step) > max) {
                    return Optional.of("has step '" + abbreviate(step) + "', which must be a number from 1 to " + max);
                }
                range = item.substring(0, slash);
            }
            if (range.equals("*") || range.equals("?")) {
                continue;
            }
            String[] ends = range.split("-", -1);
            if (ends.length > 2) {
                return Optional.of("has '" + range + "', which is not a value or a range a-b");
            }
            int[] values = new int[ends.length];
            for (int k = 0; k < ends.length; k++) {
                Integer v = value(ends[k], index);
                int lo = RANGES[index][0];
                int hi = RANGES[index][1];
                if (v == null || v < lo || v > hi) {
                    return Optional.of("has '" + abbreviate(ends[k]) + "', which is not in " + lo + ".." + hi);
                }
                values[k] = v;
            }
            if (values.length == 2 && values[0] > values[1]) {
                return Optional.of("has range '" + range + "', whose start is after its end");
            }
        }
        return Optional.empty();
    }

    /** A user's text in a message, cut short so that a huge input does not make a huge message. */
    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static Integer value(String text, int index) {
        if (text.matches("[0-9]{1,2}")) {
            return Integer.parseInt(text);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (index == 3) {
            return MONTHS.get(lower);
        }
        if (index == 4) {
            return DAYS.get(lower);
        }
        return null;
    }
}
