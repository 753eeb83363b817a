package dev.ordo.docker.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Splits the output frames an engine streams (logs, execs, builds) into lines, per stream, keeping an unfinished
 * line until its newline comes.
 *
 * <pre>{@code
 * LineSplitter split = new LineSplitter(line -> out.add(line));
 * split.accept(frame.getStreamType(), frame.getPayload());
 * split.flush();
 * }</pre>
 */
public final class LineSplitter {
    private final BiConsumer<Object, String> sink;
    private final Map<Object, StringBuilder> partial = new LinkedHashMap<>();

    public LineSplitter(Consumer<String> sink) {
        this((stream, line) -> sink.accept(line));
    }

    /** A splitter that tells {@code sink} which stream each line came from. */
    public LineSplitter(BiConsumer<Object, String> sink) {
        this.sink = sink;
    }

    public synchronized void accept(Object stream, byte[] payload) {
        StringBuilder b = partial.computeIfAbsent(stream, k -> new StringBuilder());
        b.append(new String(payload, StandardCharsets.UTF_8));
        int nl;
        while ((nl = b.indexOf("\n")) >= 0) {
            String line = b.substring(0, nl);
            b.delete(0, nl + 1);
            sink.accept(stream, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    /** Hands on what is left of an unfinished line, once the stream has ended. */
    public synchronized void flush() {
        partial.forEach((stream, b) -> {
            if (b.length() > 0) {
                sink.accept(stream, b.toString());
                b.setLength(0);
            }
        });
    }
}
