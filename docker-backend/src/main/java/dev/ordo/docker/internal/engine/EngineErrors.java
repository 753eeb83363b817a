package dev.ordo.docker.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import dev.ordo.OrdoException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * How an engine's errors read. An error that carries an HTTP status is the engine's answer: its body's
 * {@code message} says what it refused. An error without one never reached the engine, or got no answer.
 *
 * <pre>{@code
 * catch (RuntimeException e) {
 *     if (EngineErrors.unreachable(e)) { watch.lost(EngineErrors.describe(e)); }
 * }
 * }</pre>
 */
public final class EngineErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineErrors() {
    }

    /** Whether the error means the engine did not answer at all (not that it refused something). */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OrdoException) {
                return false; // Ordo's own refusal (a secret file that does not exist, ...): a node is at fault
            }
            if (t instanceof DockerException) {
                return false; // the engine answered, with a status
            }
            if (t instanceof NoSuchFileException missing) {
                // the engine's socket is gone; any other missing file is the user's to fix, not a dead engine
                String file = String.valueOf(missing.getFile());
                return file.endsWith(".sock") || file.contains("docker");
            }
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof UnknownHostException
                    || t instanceof SocketTimeoutException || t instanceof NoHttpResponseException
                    || t instanceof ConnectionClosedException || t instanceof EOFException) {
                return true;
            }
            // a transport error without a type of its own (the unix socket's native errors) says so in its text
            String m = t.getMessage();
            if (m != null && (m.contains("No such file or directory") || m.contains("Connection refused")
                    || m.contains("Broken pipe") || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description of an engine error: the engine's own message when it answered, else the error's. */
    public static String describe(Throwable e) {
        if (e instanceof DockerException d) {
            String body = body(d).replace('\n', ' ').trim();
            return message(d).map(m -> m.replace('\n', ' ').trim())
                    .orElse(body.isEmpty() ? "HTTP " + d.getHttpStatus() : body);
        }
        String msg = e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ').trim();
    }

    /** The {@code message} of the engine's JSON answer, when it gave one. */
    public static Optional<String> message(DockerException e) {
        String body = body(e);
        if (!body.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode m = JSON.readTree(body).path("message");
            return m.isTextual() ? Optional.of(m.asText()) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The body of the engine's answer (docker-java keeps it as the message, after {@code Status <code>: }). */
    static String body(DockerException e) {
        String msg = String.valueOf(e.getMessage());
        String prefix = "Status " + e.getHttpStatus() + ": ";
        return (msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg).trim();
    }
}
