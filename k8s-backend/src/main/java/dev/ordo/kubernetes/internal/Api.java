package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Calls to the API server, each turned into an error that names the verb, the resource, the namespace and the fix
 * when the server refuses (see {@link ApiErrors}), and told apart from a server that does not answer at all.
 *
 * <pre>{@code
 * Pod p = api.call("get", "pods", "clp", () -> client.pods().inNamespace("clp").withName("x").get());
 * }</pre>
 */
final class Api {
    private final String target;

    Api(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    /**
     * Runs {@code action}; a 429 (Too Many Requests) that outlasts the client's own retries, each after the
     * server's Retry-After, is waited out a second at a time, for at most {@link #TOO_MANY_ATTEMPTS} seconds.
     */
    <T> T call(String verb, String resource, String ns, Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (KubernetesClientException e) {
                if (attempt >= TOO_MANY_ATTEMPTS || !tooMany(e) || !pause()) {
                    throw ApiErrors.explain(e, target, verb, resource, ns);
                }
            }
        }
    }

    /** How long, in one-second attempts, Ordo waits out an API server that keeps answering 429. */
    static final int TOO_MANY_ATTEMPTS = 60;

    /** Waits one second (a 429's usual Retry-After); false when interrupted. */
    static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@code e} is the API server's 429 (Too Many Requests), on a plain request or a watch's upgrade. */
    static boolean tooMany(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 429
                    || String.valueOf(t.getMessage()).contains("Received 429")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} means the API server did not answer (as opposed to refusing). */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException || t instanceof EOFException
                    || t instanceof SocketException) {
                return true;
            }
            if (t instanceof KubernetesClientException k && k.getCode() == 0 && k.getCause() instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String resourceOf(String kind) {
        return switch (kind) {
            case "Deployment" -> "deployments";
            case "StatefulSet" -> "statefulsets";
            case "Job" -> "jobs";
            case "CronJob" -> "cronjobs";
            case "Service" -> "services";
            default -> kind.toLowerCase(Locale.ROOT) + "s";
        };
    }
}
