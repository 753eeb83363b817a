package dev.ordo.kubernetes.internal;

import dev.ordo.OrdoException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.net.URI;

/**
 * Builds fabric8 clients with settings suited to Ordo: short connection timeouts and few retries, so that an
 * unreachable cluster is reported in seconds rather than after fabric8's default minute of backoff.
 *
 * <pre>{@code
 * Clients.Connection c = Clients.fromKubeConfig();
 * }</pre>
 */
public final class Clients {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int REQUEST_TIMEOUT_MILLIS = 30_000;
    private static final int RETRIES = 2;

    private Clients() {
    }

    /**
     * A client and a description of where it points, for messages.
     *
     * @param client the fabric8 client
     * @param target the API server URL, and the kube-config context when there is one
     */
    public record Connection(KubernetesClient client, String target, String defaultNamespace,
                             RequestLimiter limiter) {
    }

    /** A client for the current context of the kube config ({@code $KUBECONFIG} or {@code ~/.kube/config}). */
    public static Connection fromKubeConfig() {
        String file = Config.getKubeconfigFilename();
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
        if ((file == null || !new File(file).isFile()) && !inCluster) {
            throw new OrdoException("no Kubernetes configuration found: kube config file '" + file
                    + "' does not exist (set $KUBECONFIG or create ~/.kube/config, e.g. with 'kind create cluster' "
                    + "or your provider's 'get-credentials' command), and Ordo is not running inside a cluster");
        }
        Config config = Config.autoConfigure(null);
        tune(config);
        String context = config.getCurrentContext() == null ? "in-cluster" : config.getCurrentContext().getName();
        RequestLimiter limiter = new RequestLimiter();
        return new Connection(build(config, limiter), config.getMasterUrl() + " (context " + context + ")",
                config.getNamespace(), limiter);
    }

    /** A client for the API server at {@code masterUrl}, without credentials (e.g. a local proxy or a test). */
    public static Connection connect(URI masterUrl) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl.toString())
                .withTrustCerts(true).build();
        tune(config);
        RequestLimiter limiter = new RequestLimiter();
        return new Connection(build(config, limiter), masterUrl.toString(), null, limiter);
    }

    private static KubernetesClient build(Config config, RequestLimiter limiter) {
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("ordo-rate-limit", limiter)).build();
    }

    /** How Ordo's requests show in the API server's audit log (and how tests count them). */
    public static final String USER_AGENT = "ordo/0.1.0";

    private static void tune(Config config) {
        config.setUserAgent(USER_AGENT);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
        config.setRequestRetryBackoffLimit(RETRIES);
    }
}
