package dev.ordo.cli;

import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Style;

/**
 * The runner's progress on a terminal, as {@code docker compose up} shows it: one line per node, updated in place,
 * with its state, its time and a colour (yellow while starting, green when started, healthy or done, red when it
 * failed, faint when skipped), each line cut to the terminal's width so that the redraw stays in place. On a pipe or
 * a file (or {@code --progress plain}) it prints one plain line per event instead, which logs and CI read better.
 * Colours are picocli's ({@link Ansi}), off when {@code NO_COLOR} is set.
 *
 * <pre>{@code
 * RunListener l = LiveProgress.choose("auto", System.out, false);
 * }</pre>
 */
final class LiveProgress implements RunListener {
    /**
     * Up one line and clear it (CSI 1 A, CSI 2 K): the one cursor movement the redraw needs, which picocli's
     * {@link Ansi} (colours and styles only) has no word for.
     */
    static final String UP_AND_CLEAR = "\u001b[1A\u001b[2K";

    private final PrintStream out;
    private final boolean logs;
    private final Ansi colours;
    private final TerminalWidth width;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private int drawn;

    private record Row(RunEvent.Type type, String text) {
    }

    LiveProgress(PrintStream out, boolean logs, Ansi colours, TerminalWidth width) {
        this.out = out;
        this.logs = logs;
        this.colours = colours;
        this.width = width;
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
        if (!tty) {
            return Printing.progress(out, logs);
        }
        // https://no-color.org: any non-empty NO_COLOR turns colours off; the lines still update in place
        String noColor = System.getenv("NO_COLOR");
        return new LiveProgress(out, logs, noColor == null || noColor.isEmpty() ? Ansi.ON : Ansi.OFF,
                TerminalWidth.detected());
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
        String detail = e.detail().isBlank() ? "" : "  " + e.detail().lines().findFirst().orElse("");
        rows.put(e.node(), new Row(e.type(), String.format(Locale.ROOT, "%-30s %-12s %8.1fs%s", e.node(), state,
                e.at().toMillis() / 1000.0, detail)));
        erase();
        redraw();
    }

    private void erase() {
        for (int i = 0; i < drawn; i++) {
            out.print(UP_AND_CLEAR);
        }
        drawn = 0;
    }

    private void redraw() {
        int columns = width.columns();
        rows.values().forEach(r -> out.println(colours.apply(TerminalWidth.fit(r.text(), columns), styles(r.type()))
                .toString()));
        drawn = rows.size();
        out.flush();
    }

    private static List<IStyle> styles(RunEvent.Type t) {
        return switch (t) {
            case STARTING, WAITING_FOR_POOL, RESTARTING, STOPPING -> List.of(Style.fg_yellow);
            case STARTED, HEALTHY, COMPLETED, KEPT, STOPPED, RESTARTED -> List.of(Style.fg_green);
            case FAILED, UNHEALTHY -> List.of(Style.fg_red);
            case SKIPPED -> List.of(Style.faint);
            default -> List.of();
        };
    }
}
