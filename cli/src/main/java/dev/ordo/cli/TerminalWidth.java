package dev.ordo.cli;

import java.util.function.IntSupplier;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The terminal's width in columns, and lines cut to it: a redrawn line that wrapped would take two rows, and moving
 * the cursor up once per line would then leave a trail. The width is {@code COLUMNS} when the environment sets it,
 * else what picocli detects ({@code stty} on the controlling terminal), else 80; it is asked again at most every
 * two seconds, so that a resized window is followed without starting a process per event.
 *
 * <pre>{@code
 * TerminalWidth w = TerminalWidth.detected();
 * String line = TerminalWidth.fit("api   started   1.2s  listening on :8080", w.columns());
 * }</pre>
 */
final class TerminalWidth {
    private static final long RECHECK_NANOS = 2_000_000_000L;
    private static final String ELLIPSIS = "...";

    private final IntSupplier detect;
    private int columns;
    private long checkedAt;
    private boolean checked;

    private TerminalWidth(IntSupplier detect) {
        this.detect = detect;
    }

    /** The width of the terminal this process runs in. */
    static TerminalWidth detected() {
        return new TerminalWidth(TerminalWidth::detect);
    }

    /** A fixed width, e.g. for a test. */
    static TerminalWidth fixed(int columns) {
        return new TerminalWidth(() -> columns);
    }

    /** The width in columns, at least 20. */
    synchronized int columns() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > RECHECK_NANOS) {
            columns = Math.max(20, detect.getAsInt());
            checkedAt = now;
            checked = true;
        }
        return columns;
    }

    private static int detect() {
        String env = System.getenv("COLUMNS");
        if (env != null && env.strip().matches("\\d{1,4}") && Integer.parseInt(env.strip()) > 0) {
            return Integer.parseInt(env.strip());
        }
        // picocli's own detection for its usage help; 80 when there is no terminal to ask
        return new UsageMessageSpec().autoWidth(true).width();
    }

    /**
     * {@code text} as one terminal line of at most {@code columns - 1} columns (the last column is left free: some
     * terminals wrap on writing it): control characters become spaces, wide characters count two columns, and a
     * cut line ends in "...".
     */
    static String fit(String text, int columns) {
        int room = columns - 1;
        StringBuilder line = new StringBuilder();
        int used = 0;
        int[] cps = text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c).toArray();
        int total = 0;
        for (int c : cps) {
            total += width(c);
        }
        if (total <= room) {
            return new String(cps, 0, cps.length);
        }
        int keep = room - ELLIPSIS.length();
        for (int c : cps) {
            if (used + width(c) > keep) {
                break;
            }
            line.appendCodePoint(c);
            used += width(c);
        }
        return line.append(ELLIPSIS).toString();
    }

    /** Columns a code point takes: two for East Asian wide and fullwidth characters and emoji, else one. */
    static int width(int c) {
        boolean wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F)
                || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
                || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
                || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
