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
    public record Connection(KubernetesClient client, String target, String defaultNamespace) {
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
        return new Connection(new KubernetesClientBuilder().withConfig(config).build(),
                config.getMasterUrl() + " (context " + context + ")", config.getNamespace());
    }

    /** A client for the API server at {@code masterUrl}, without credentials (e.g. a local proxy or a test). */
    public static Connection connect(URI masterUrl) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl.toString())
                .withTrustCerts(true).build();
        tune(config);
        return new Connection(new KubernetesClientBuilder().withConfig(config).build(), masterUrl.toString(),
                null);
    }

    private static void tune(Config config) {
        config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
        config.setRequestRetryBackoffLimit(RETRIES);
    }
}
