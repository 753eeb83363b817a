package dev.ordo.examples;

import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's progress on a terminal, as {@code docker compose up} shows it: one line per node, updated in place,
 * with its state, its time and a colour (yellow while starting, green when started, healthy or done, red when it
 * failed, grey when skipped). On a pipe or a file (or {@code --progress plain}) it prints one plain line per event
 * instead, which logs and CI read better.
 *
 * <pre>{@code
 * RunListener l = LiveProgress.choose("auto", System.out, false);
 * }</pre>
 */
final class LiveProgress implements RunListener {
    private static final String RESET = "\u001b[0m";
    private final PrintStream out;
    private final boolean logs;
    private final Map<String, String> rows = new LinkedHashMap<>();
    private int drawn;

    private LiveProgress(PrintStream out, boolean logs) {
        this.out = out;
        this.logs = logs;
    }

    /**
     * The listener for {@code mode}: {@code tty} (lines updated in place), {@code plain} (a line per event), or
     * {@code auto} (tty when this process writes to a terminal that understands it).
     */
    static RunListener choose(String mode, PrintStream out, boolean logs) {
        boolean tty = switch (mode.toLowerCase(Locale.ROOT)) {
            case "tty" -> true;
            case "plain" -> false;
            case "auto" -> System.console() != null && !"dumb".equals(System.getenv("TERM"));
            default -> throw new IllegalArgumentException("--progress: '" + mode + "' is not one of auto, tty, plain");
        };
        return tty ? new LiveProgress(out, logs) : OrdoCli.progress(out, logs);
    }

    @Override
    public synchronized void onEvent(RunEvent e) {
        if (e.type() == RunEvent.Type.LOG) {
            if (logs) {
                erase();
                out.printf(Locale.ROOT, "%s | %s%n", e.node(), e.detail());
                redraw();
            }
            return;
        }
        String state = e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        String detail = e.detail().isBlank() ? "" : "  " + shorten(e.detail());
        rows.put(e.node(), String.format(Locale.ROOT, "%s%-30s %-12s %8.1fs%s%s", colour(e.type()), e.node(), state,
                e.at().toMillis() / 1000.0, detail, RESET));
        erase();
        redraw();
    }

    private static String shorten(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }

    private void erase() {
        for (int i = 0; i < drawn; i++) {
            out.print("\u001b[1A\u001b[2K"); // up one line, clear it
        }
        drawn = 0;
    }

    private void redraw() {
        rows.values().forEach(out::println);
        drawn = rows.size();
        out.flush();
    }

    private static String colour(RunEvent.Type t) {
        return switch (t) {
            case STARTING, WAITING_FOR_POOL, RESTARTING, STOPPING -> "\u001b[33m";
            case STARTED, HEALTHY, COMPLETED, KEPT, STOPPED, RESTARTED -> "\u001b[32m";
            case FAILED, UNHEALTHY -> "\u001b[31m";
            case SKIPPED -> "\u001b[90m";
            default -> "";
        };
    }
}
