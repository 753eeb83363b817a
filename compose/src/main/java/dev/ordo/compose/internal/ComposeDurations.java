package dev.ordo.compose.internal;

import dev.ordo.Durations;
import java.time.Duration;

/**
 * Compose's durations ({@code 1m30s}, {@code 500ms}, {@code 2h}, {@code 10} meaning seconds) and back; parsing is
 * core's {@link Durations}, the grammar the runner's options use too.
 *
 * <pre>{@code
 * ComposeDurations.parse("1m30s");              // PT1M30S
 * ComposeDurations.format(Duration.ofMillis(1500)); // "1500ms"
 * }</pre>
 */
public final class ComposeDurations {
    private ComposeDurations() {
    }

    /**
     * The duration {@code text} stands for, in the one grammar the runner shares ({@link Durations}).
     *
     * @throws IllegalArgumentException naming the text and the forms accepted
     */
    public static Duration parse(String text) {
        return Durations.parse(text);
    }

    /** {@code d} the way Compose writes it: whole seconds as {@code 30s}, else milliseconds. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
