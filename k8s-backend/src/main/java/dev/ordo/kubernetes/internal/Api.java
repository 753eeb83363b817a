package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
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

    <T> T call(String verb, String resource, String ns, Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            throw ApiErrors.explain(e, target, verb, resource, ns);
        }
    }

    /** Whether {@code e} means the API server did not answer (as opposed to refusing). */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.UnknownHostException || t instanceof java.io.EOFException
                    || t instanceof java.net.SocketException) {
                return true;
            }
            if (t instanceof KubernetesClientException k && k.getCode() == 0 && k.getCause() instanceof java.io.IOException) {
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
            default -> kind.toLowerCase(java.util.Locale.ROOT) + "s";
        };
    }
}
