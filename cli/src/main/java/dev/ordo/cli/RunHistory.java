package dev.ordo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunOrigin;
import dev.ordo.run.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The runner's record of triggered runs, one JSON line per finished run in
 * {@code <state dir>/<deployment>/history.jsonl}, so that {@code ordo history} shows what {@code supervise} and
 * {@code trigger} ran, across processes. Parameters are recorded; secrets are never run parameters.
 *
 * <pre>{@code
 * RunHistory h = RunHistory.in(Path.of(System.getProperty("user.home"), ".ordo"), "manticore");
 * h.append(report);
 * h.read(Optional.of("backup-addresses-delta")).forEach(System.out::println);
 * }</pre>
 */
final class RunHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One recorded run.
     *
     * @param trigger  the trigger
     * @param run      the run's id within the process that ran it
     * @param cause    schedule, interval, manual or at start
     * @param firedAt  when the trigger fired (ISO-8601)
     * @param result   succeeded, failed or skipped
     * @param millis   how long the run took
     * @param why      for a failed or skipped run, why
     */
    record Entry(String trigger, String run, String cause, String firedAt, String result, long millis, String why) {
        String line() {
            return String.format(Locale.ROOT, "%-22s %-26s %-6s %-10s %-9s %8.1fs  %s", firedAt, trigger,
                    run, cause, result, millis / 1000.0, why);
        }
    }

    private final Path file;
    private final Set<String> written = new HashSet<>();

    private RunHistory(Path file) {
        this.file = file;
    }

    static RunHistory in(Path stateDir, String deployment) {
        return new RunHistory(stateDir.resolve(deployment).resolve("history.jsonl"));
    }

    Path file() {
        return file;
    }

    /** Records {@code report} once (a report seen twice, by the hook and at the end, is written once). */
    synchronized void append(RunReport report) {
        RunOrigin o = report.origin().orElseThrow(() -> new IllegalArgumentException("not a triggered run"));
        if (!written.add(o.trigger() + "/" + o.run())) {
            return;
        }
        boolean skipped = report.nodes().isEmpty() && report.error().isPresent();
        ObjectNode n = JSON.createObjectNode()
                .put("trigger", o.trigger()).put("run", o.run()).put("cause", o.cause())
                .put("firedAt", o.firedAt().toString())
                .put("result", report.succeeded() ? "succeeded" : skipped ? "skipped" : "failed")
                .put("millis", report.duration().toMillis())
                .put("why", report.succeeded() ? "" : why(report));
        n.set("parameters", JSON.valueToTree(o.parameters()));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(n) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run history " + file + ": " + e.getMessage()
                    + "; give a writable --state-dir", e);
        }
    }

    private static String why(RunReport report) {
        return report.error().map(Failure::message).orElseGet(() -> report.rootFailures().stream().findFirst()
                .flatMap(NodeTimeline::failure).map(Failure::message).orElse("failed"));
    }

    /** The recorded runs, oldest first, of {@code trigger} only when given. */
    List<Entry> read(Optional<String> trigger) {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                Entry e = new Entry(n.path("trigger").asText(), n.path("run").asText(), n.path("cause").asText(),
                        n.path("firedAt").asText(), n.path("result").asText(), n.path("millis").asLong(),
                        n.path("why").asText());
                if (trigger.isEmpty() || trigger.get().equals(e.trigger())) {
                    out.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run history " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
