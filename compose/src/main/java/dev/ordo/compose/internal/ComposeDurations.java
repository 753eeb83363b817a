package dev.ordo.compose.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's durations ({@code 1m30s}, {@code 500ms}, {@code 2h}, {@code 10} meaning seconds) and back.
 *
 * <pre>{@code
 * ComposeDurations.parse("1m30s");              // PT1M30S
 * ComposeDurations.format(Duration.ofMillis(1500)); // "1500ms"
 * }</pre>
 */
public final class ComposeDurations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|ns)");

    private ComposeDurations() {
    }

    /**
     * The duration {@code text} stands for.
     *
     * @throws IllegalArgumentException naming the text and the form expected
     */
    public static Duration parse(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                break;
            }
            double n = Double.parseDouble(m.group(1));
            long nanos = switch (m.group(2)) {
                case "h" -> (long) (n * 3_600e9);
                case "m" -> (long) (n * 60e9);
                case "s" -> (long) (n * 1e9);
                case "ms" -> (long) (n * 1e6);
                case "us" -> (long) (n * 1e3);
                default -> (long) n;
            };
            d = d.plusNanos(nanos);
            at = m.end();
        }
        if (at != t.length() || t.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it as Compose does, e.g."
                    + " 30s, 1m30s or 500ms");
        }
        return d;
    }

    /** {@code d} the way Compose writes it: whole seconds as {@code 30s}, else milliseconds. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
