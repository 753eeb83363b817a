package dev.ordo.docker.internal.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.docker.internal.engine.LineSplitter;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one container run's output, stdout and stderr, line by line. The engine stamps each line; lines from
 * before {@code since} (an earlier run of a restarted container) are dropped. Without {@code since}, the last
 * lines are replayed first, so that core can match a kept service's log-line check against its past.
 *
 * <pre>{@code
 * LogFollower f = new LogFollower(engine.streams(), id, startedAt, line -> events.report(new Fact.Output("db", 1, line)));
 * f.start();
 * }</pre>
 */
public final class LogFollower {
    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);

    private final DockerClient streams;
    private final String id;
    private final Instant since;
    private final Consumer<String> sink;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Closeable stream;
    private volatile boolean closed;

    LogFollower(DockerClient streams, String id, Instant since, Consumer<String> sink) {
        this.streams = streams;
        this.id = id;
        this.since = since;
        this.sink = sink;
    }

    void start() {
        LineSplitter split = new LineSplitter(raw -> {
            StampedLine s = StampedLine.of(raw);
            // a restart starts within the same second as the die: keep the cut-off exact, not by seconds
            if (since == null || !s.at().isBefore(since.minusMillis(5))) {
                sink.accept(s.line());
            }
        });
        var cmd = streams.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                .withTimestamps(true);
        cmd = since == null ? cmd.withTail(Launch.LOG_TAIL_LINES) : cmd.withSince((int) since.getEpochSecond());
        // The callback itself is what gets closed: closing it (not just its stream) tells docker-java the end is
        // wanted, so it does not log the interrupted read as an error.
        stream = cmd.exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
                split.accept(f.getStreamType(), f.getPayload());
            }

            @Override
            public void onError(Throwable t) {
                if (!closed) {
                    LOG.debug("log stream of {} ended: {}", id, t.toString());
                }
                ended.countDown();
            }

            @Override
            public void onComplete() {
                split.flush();
                ended.countDown();
            }
        });
        if (closed) {
            close();
        }
    }

    /** Waits (bounded) until the engine ended the stream, which it does after a stopped container's last line. */
    public void awaitEnd(Duration limit) {
        try {
            ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void close() {
        closed = true;
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("closing the log stream of {}", id, e);
            }
        }
    }
}
