package dev.ordo.docker.internal.logs;

import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.spi.Fact;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The output of containers on one engine: followed line by line while a replica runs ({@link LogFollower}), and
 * read back as the tail of a run that ended ({@link LogTail}).
 *
 * <pre>{@code
 * ContainerLogs logs = new ContainerLogs(engine);
 * LogFollower f = logs.follow(id, startedAt, line -> events.report(new Fact.Output("db", 1, line)));
 * List<String> tail = logs.tail(id, startedAt, Launch.LOG_TAIL_LINES);
 * }</pre>
 */
public final class ContainerLogs {
    private final EngineConnection engine;

    public ContainerLogs(EngineConnection engine) {
        this.engine = engine;
    }

    /**
     * Follows container {@code id}'s output from {@code since} (null: its last lines first) into {@code sink}, from
     * now on; close the follower to stop.
     */
    public LogFollower follow(String id, Instant since, Consumer<String> sink) {
        LogFollower f = new LogFollower(engine.streams(), id, since, sink);
        f.start();
        return f;
    }

    /** The last {@code lines} lines container {@code id} printed after {@code since}, as {@link LogTail#of} says. */
    public List<String> tail(String id, Instant since, int lines) {
        return new LogTail(engine.commands()).of(id, since, lines);
    }
}
