package dev.ordo.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders a {@link RunReport} as a plain-text table for people. */
final class ReportText {
    private ReportText() {
    }

    static String render(RunReport report) {
        StringBuilder b = new StringBuilder();
        b.append(report.operation().name().toLowerCase(Locale.ROOT)).append(" of '")
                .append(report.deployment()).append("' on ").append(report.backend()).append(": ")
                .append(report.succeeded() ? "succeeded" : "FAILED").append(" in ").append(seconds(report.duration()))
                .append('\n');
        report.error().ifPresent(e -> b.append(e.message()).append('\n'));
        report.notes().forEach(n -> b.append("note: ").append(n).append('\n'));
        int width = Math.max(4, report.nodes().stream().mapToInt(t -> t.node().length()).max().orElse(4));
        int placed = report.nodes().stream().mapToInt(t -> t.placement().map(String::length).orElse(0)).max()
                .orElse(0);
        // The engine column appears only when the backend runs the deployment in several places.
        String where = placed == 0 ? "%s" : "%-" + Math.max(6, placed) + "s  ";
        String head = "%-" + width + "s  " + where + "%-7s  %-9s  %9s  %9s  %9s  %9s  %s%n";
        b.append(String.format(head, "node", placed == 0 ? "" : "engine", "kind", "state", "requested", "started",
                "ready", "finished", "note"));
        for (NodeTimeline t : report.nodes()) {
            List<String> notes = new ArrayList<>();
            t.failure().map(Failure::message).or(() -> Optional.of(t.reused() ? "kept (unchanged)" : ""))
                    .filter(m -> !m.isEmpty()).ifPresent(notes::add);
            t.detectionLatency().ifPresent(l -> notes.add("detected in " + l.toMillis() + " ms"));
            if (t.restarts() > 0) {
                notes.add("restarted " + t.restarts() + "x");
            }
            String note = String.join("; ", notes);
            b.append(String.format(head, t.node(), t.placement().orElse(placed == 0 ? "" : "-"), t.kind().label(), t.state().name().toLowerCase(Locale.ROOT),
                    at(t.requested()), at(t.started()), at(t.ready()), at(t.finished()), note.strip()));
        }
        if (report.operation() == RunReport.Operation.UP && !report.criticalPath().isEmpty()) {
            b.append("critical path: ").append(String.join(" -> ", report.criticalPath())).append('\n');
        }
        report.rootFailures().forEach(t -> t.failure().ifPresent(f -> {
            if (!f.logTail().isEmpty()) {
                b.append("last output of ").append(t.node()).append(":\n");
                f.logTail().forEach(l -> b.append("  | ").append(l).append('\n'));
            }
        }));
        return b.toString();
    }

    private static String at(Optional<Duration> d) {
        return d.map(ReportText::seconds).orElse("-");
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
