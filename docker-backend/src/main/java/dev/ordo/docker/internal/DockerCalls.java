package dev.ordo.docker.internal;

import dev.ordo.spi.Labels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names Ordo gives Docker resources, and how engine errors read. */
final class DockerCalls {
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private DockerCalls() {
    }

    /**
     * The Docker name of a replica container of {@code node}, in triggered run {@code run} when present: runs of the
     * same job never share a name.
     */
    static String containerName(String deployment, String node, Optional<String> run, int replica) {
        return deployment + "-" + node + run.map(r -> "-" + r).orElse("") + "-" + replica;
    }

    /** The key (node, or node@run) a container's labels name. */
    static String keyOf(Map<String, String> labels) {
        String node = labels.getOrDefault(Labels.NODE, "?");
        String run = labels.get(Labels.RUN);
        return run == null ? node : node + "@" + run;
    }

    /** Whether the error means the engine did not answer at all (not that it refused something). */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.ordo.OrdoException) {
                return false; // Ordo's own refusal (a secret file that does not exist, ...): a node is at fault
            }
            if (t instanceof java.nio.file.NoSuchFileException missing) {
                // the engine's socket is gone; any other missing file is the user's to fix, not a dead engine
                String file = String.valueOf(missing.getFile());
                return file.endsWith(".sock") || file.contains("docker");
            }
            if (t instanceof java.net.ConnectException
                    || t instanceof java.net.SocketException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof org.apache.hc.core5.http.NoHttpResponseException
                    || t instanceof org.apache.hc.core5.http.ConnectionClosedException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("No such file or directory") || m.contains("Connection refused")
                    || m.contains("Broken pipe") || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description of an engine error: Docker's own message without docker-java's JSON wrapping. */
    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        Matcher m = MESSAGE.matcher(msg);
        if (m.find()) {
            return m.group(1).replace("\\\"", "\"");
        }
        return msg.replace('\n', ' ').trim();
    }

    static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    /**
     * Splits Docker's output frames into lines, per stream, keeping an unfinished line until its newline comes.
     */
    static final class LineSplitter {
        private final java.util.function.BiConsumer<Object, String> sink;
        private final Map<Object, StringBuilder> partial = new LinkedHashMap<>();

        LineSplitter(java.util.function.Consumer<String> sink) {
            this((stream, line) -> sink.accept(line));
        }

        /** A splitter that tells {@code sink} which stream each line came from. */
        LineSplitter(java.util.function.BiConsumer<Object, String> sink) {
            this.sink = sink;
        }

        synchronized void accept(Object stream, byte[] payload) {
            StringBuilder b = partial.computeIfAbsent(stream, k -> new StringBuilder());
            b.append(new String(payload, StandardCharsets.UTF_8));
            int nl;
            while ((nl = b.indexOf("\n")) >= 0) {
                String line = b.substring(0, nl);
                b.delete(0, nl + 1);
                sink.accept(stream, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        }

        synchronized void flush() {
            partial.forEach((stream, b) -> {
                if (b.length() > 0) {
                    sink.accept(stream, b.toString());
                    b.setLength(0);
                }
            });
        }
    }
}
