package dev.ordo.kubernetes.internal;

import dev.ordo.OrdoException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/**
 * Turns the API server's refusals into messages that name what was refused and how to fix it.
 *
 * <pre>{@code
 * try { client.resource(object).create(); }
 * catch (KubernetesClientException e) { throw ApiErrors.explain(e, target, "create", "deployments", ns); }
 * }</pre>
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    /**
     * What the API server (or the way to it) refused, as a sentence naming the verb, the resource and the fix.
     *
     * @param target    where the client was connecting, e.g. {@code https://10.0.0.1:6443 (context kind-dev)}
     * @param verb      the Kubernetes verb attempted: {@code create}, {@code get}, {@code delete}, ...
     * @param resource  the resource type, plural, as RBAC names it: {@code deployments}, {@code jobs}
     * @param namespace the namespace, or {@code null} for a cluster-scoped resource
     */
    public static String describe(KubernetesClientException e, String target, String verb, String resource,
            String namespace) {
        String where = namespace == null ? "" : " in namespace '" + namespace + "'";
        String serverMessage = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
        if (isUnreachable(e)) {
            return "cannot reach the Kubernetes API server at " + target + " (" + rootCause(e)
                    + "); check that the cluster is running and that 'kubectl cluster-info' works with the same "
                    + "kube config";
        }
        switch (e.getCode()) {
            case 401:
                return "the Kubernetes API server at " + target + " rejected the credentials (401 Unauthorized) when "
                        + "trying to " + verb + " " + resource + where + "; refresh them (e.g. log in again) or "
                        + "select another context with 'kubectl config use-context'";
            case 403:
                if (serverMessage.toLowerCase(Locale.ROOT).contains("exceeded quota")) {
                    return "the resource quota" + where + " refuses to " + verb + " " + resource + ": "
                            + serverMessage + "; raise the quota ('kubectl describe resourcequota -n "
                            + namespace + "') or lower the nodes' replicas or resource requests";
                }
                return "forbidden: the Kubernetes user may not " + verb + " " + resource + where + " ("
                        + serverMessage + "); grant it, e.g. 'kubectl create role ordo --verb=" + verb
                        + " --resource=" + resource + (namespace == null ? "" : " -n " + namespace)
                        + "' plus a RoleBinding, or use a context with more rights";
            case 404:
                return "the Kubernetes API server found no " + resource + where + " to " + verb + " ("
                        + serverMessage + "); if the resource type itself is missing, the cluster is too old for "
                        + "Ordo (Kubernetes 1.25 or later is needed)";
            case 409:
                return "conflict trying to " + verb + " " + resource + where + " (" + serverMessage
                        + "); another client changed it at the same time, run the command again";
            case 422:
                return "the Kubernetes API server rejected " + resource + where + " as invalid (" + serverMessage
                        + "); fix the node definition it names";
            default:
                return "the Kubernetes API server failed to " + verb + " " + resource + where + " (HTTP "
                        + e.getCode() + ": " + serverMessage + ")";
        }
    }

    /** {@link #describe} wrapped in the exception the engine reports. */
    public static OrdoException explain(KubernetesClientException e, String target, String verb, String resource,
            String namespace) {
        return new OrdoException(describe(e, target, verb, resource, namespace), e);
    }

    /** Whether the failure is the network's, not the API server's. */
    public static boolean isUnreachable(KubernetesClientException e) {
        if (e.getCode() > 0) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof HttpTimeoutException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
