package dev.ordo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of Ordo's text inputs, so that a compose file and the runner's options accept the same
 * text: Compose's (Go's {@code time.ParseDuration} without a sign) — one or more parts of a decimal number and a
 * unit, {@code h}, {@code m}, {@code s}, {@code ms}, {@code us} (or {@code µs}) and {@code ns}, as in
 * {@code 1h30m}, {@code 1m30s}, {@code 90s}, {@code 1.5s}, {@code 500ms} or {@code 2us}; a bare whole number,
 * which Compose reads as seconds; plus {@code d} for days ({@code 3d}, the runner's {@code --for}) and ISO-8601
 * ({@code PT5S}, {@code P3D}). A duration is never negative: {@code -5s} is refused, as Compose refuses it.
 *
 * <pre>{@code
 * Durations.parse("1m30s");   // PT1M30S
 * Durations.parse("2h45m");   // PT2H45M
 * Durations.parse("10");      // PT10S: a bare number is seconds, as in Compose
 * Durations.parse("3d");      // PT72H
 * Durations.parse("soon");    // IllegalArgumentException: 'soon' is not a duration; write e.g. ...
 * }</pre>
 */
public final class Durations {
    /** What the error message offers when a text does not parse: the accepted forms. */
    public static final String FORMS = "90s, 1m30s, 1h30m, 500ms, 2us, 1.5s, 3d, a bare number of seconds,"
            + " or ISO-8601 such as PT5S";

    // a decimal number and a unit; "ms" before "m" and "s" so that the longest unit wins
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("\\d+");
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    // the largest Duration in whole nanoseconds; anything above overflows
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(
            1_000_000_000L)).add(BigInteger.valueOf(999_999_999L));

    private Durations() {
    }

    /**
     * The duration {@code text} stands for (leading and trailing blanks ignored).
     *
     * @throws IllegalArgumentException naming {@code text} and the accepted forms, when it is none of them, is
     *                                  negative, or is too long for a {@link Duration}
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw notADuration(text, "it is empty");
        }
        if (t.startsWith("-")) {
            throw notADuration(text, "a duration is never negative");
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            return iso(text, t);
        }
        if (WHOLE.matcher(t).matches()) {
            return fromNanos(text, new BigDecimal(t).multiply(NANOS_PER_SECOND));
        }
        Matcher m = PART.matcher(t);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
            at = m.end();
        }
        if (at != t.length()) {
            throw notADuration(text, at == 0 ? null : "'" + t.substring(at) + "' after '" + t.substring(0, at)
                    + "' is not a number and a unit");
        }
        return fromNanos(text, nanos);
    }

    private static Duration iso(String text, String t) {
        Duration d;
        try {
            d = Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw notADuration(text, null);
        }
        if (d.isNegative()) {
            throw notADuration(text, "a duration is never negative");
        }
        return d;
    }

    private static BigDecimal unitNanos(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L; // d
        });
    }

    private static Duration fromNanos(String text, BigDecimal nanos) {
        // a fraction of a nanosecond is dropped, as Go drops it
        BigInteger whole = nanos.toBigInteger();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw notADuration(text, "it is too long");
        }
        BigInteger[] secondsAndNanos = whole.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    private static IllegalArgumentException notADuration(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a duration" + (why == null ? "" : " (" + why + ")")
                + "; write e.g. " + FORMS);
    }
}
