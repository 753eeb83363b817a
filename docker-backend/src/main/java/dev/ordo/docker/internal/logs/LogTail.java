package dev.ordo.docker.internal.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.docker.internal.engine.LineSplitter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tail of a container's output for a failure report, read back from the engine's log with its timestamps.
 *
 * <pre>{@code
 * List<String> tail = new LogTail(client).of(containerId, since, Launch.LOG_TAIL_LINES);
 * }</pre>
 */
final class LogTail {
    /**
     * Below this, the engine's stamps cannot tell which of a stdout and a stderr line came first. 20 ms was too
     * little on a loaded machine: the stdout copier lagged the stderr one by more, and the error line lost its place
     * as a job's last output. A process that prints an error and then progress within this grain is the rarer case.
     */
    static final Duration ORDER_GRAIN = Duration.ofMillis(250);

    private final DockerClient client;

    LogTail(DockerClient client) {
        this.client = client;
    }

    /**
     * The last {@code lines} lines a container printed after {@code since} (its previous run's exit, if Docker
     * restarted it), stdout and stderr in the order printed, as far as the engine can tell: its log file interleaves the two streams as two copiers get
     * to them, and it stamps a line when its copier reads it, so a stderr line written right after a stdout line can
     * be stamped a little before it. Lines are ordered by their stamps, except that a stdout line stamped less than
     * {@link #ORDER_GRAIN} after a stderr line goes first (a process prints its progress, then its error, then exits);
     * each stream keeps its own order.
     */
    List<String> of(String containerId, Instant since, int lines) {
        record Line(Instant at, int stream, int seq, String text) {
        }
        List<Line> out = new ArrayList<>();
        LineSplitter split = new LineSplitter((stream, raw) -> {
            StampedLine s = StampedLine.of(raw);
            out.add(new Line(s.at(), "STDERR".equals(String.valueOf(stream)) ? 1 : 0, out.size(), s.line()));
        });
        List<String> trouble = new ArrayList<>();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withSince((int) since.getEpochSecond()).withTail(lines * 4)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame f) {
                            split.accept(f.getStreamType(), f.getPayload());
                        }

                        @Override
                        public void onError(Throwable t) {
                            // e.g. the container is being removed; the tail says so instead of a logged stack trace
                            trouble.add("(ordo: could not read the container's log: " + EngineErrors.describe(t) + ")");
                            onComplete();
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            trouble.add("(ordo: could not read the container's log: " + EngineErrors.describe(e) + ")");
        }
        split.flush();
        List<Line> ordered = new ArrayList<>(out.stream().filter(l -> l.at().isAfter(since))
                .sorted(Comparator.comparing(Line::at).thenComparingInt(Line::seq)).toList());
        // a stdout line stamped just after a stderr line was most likely printed before it: move it in front
        for (int i = 1; i < ordered.size(); i++) {
            for (int j = i; j > 0; j--) {
                Line before = ordered.get(j - 1);
                Line after = ordered.get(j);
                if (before.stream() == 1 && after.stream() == 0
                        && Duration.between(before.at(), after.at()).compareTo(ORDER_GRAIN) < 0) {
                    ordered.set(j - 1, after);
                    ordered.set(j, before);
                } else {
                    break;
                }
            }
        }
        List<String> sorted = new ArrayList<>();
        ordered.forEach(l -> sorted.add(l.text()));
        sorted.addAll(trouble);
        return sorted.size() > lines ? List.copyOf(sorted.subList(sorted.size() - lines, sorted.size()))
                : List.copyOf(sorted);
    }
}
