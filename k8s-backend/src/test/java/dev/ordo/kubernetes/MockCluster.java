package dev.ordo.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import okhttp3.mockwebserver.MockWebServer;

/**
 * fabric8's mock API server in CRUD mode (objects are stored, listed, watched and deleted like on a real API
 * server), with room for scripted responses (pod logs, refusals), plus the {@link TestKubelet}.
 */
final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;
    final TestKubelet kubelet;

    /** Requests Ordo sent beyond the server-side limit, answered with HTTP 429 (see {@link #MockCluster(int)}). */
    final java.util.concurrent.atomic.AtomicInteger tooMany = new java.util.concurrent.atomic.AtomicInteger();

    MockCluster() {
        this(0);
    }

    /**
     * A mock cluster whose API server answers HTTP 429 to Ordo's requests (its user agent) beyond
     * {@code ordoRequestsPerSecond} in any one-second window, as an API server's priority-and-fairness limit does;
     * 0 for no limit.
     */
    MockCluster(int ordoRequestsPerSecond) {
        // The server records expectations into the same map the dispatcher answers from.
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        okhttp3.mockwebserver.Dispatcher crud = new KubernetesMixedDispatcher(responses);
        java.util.ArrayDeque<Long> window = new java.util.ArrayDeque<>();
        okhttp3.mockwebserver.Dispatcher dispatcher = ordoRequestsPerSecond <= 0 ? crud
                : new okhttp3.mockwebserver.Dispatcher() {
                    @Override
                    public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r)
                            throws InterruptedException {
                        if (dev.ordo.kubernetes.internal.Clients.USER_AGENT.equals(r.getHeader("User-Agent"))) {
                            long now = System.nanoTime();
                            synchronized (window) {
                                while (!window.isEmpty() && now - window.peekFirst() > 1_000_000_000L) {
                                    window.pollFirst();
                                }
                                if (window.size() >= ordoRequestsPerSecond) {
                                    tooMany.incrementAndGet();
                                    return new okhttp3.mockwebserver.MockResponse().setResponseCode(429)
                                            .setHeader("Retry-After", "1")
                                            .setBody("{\"kind\":\"Status\",\"code\":429,\"reason\":\"TooManyRequests\"}");
                                }
                                window.addLast(now);
                            }
                        }
                        return crud.dispatch(r);
                    }
                };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init();
        client = server.createClient();
        kubelet = new TestKubelet(client, server);
    }

    URI url() {
        return URI.create(server.url("/").toString());
    }

    KubernetesBackend backend() {
        return KubernetesBackend.connect(url());
    }

    /** Every object of the kinds Ordo creates, in {@code namespace}. */
    /** The objects of a multi-document YAML, parsed with fabric8's model parser. */
    List<HasMetadata> parse(String yaml) {
        return client.load(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .items();
    }

    List<HasMetadata> objects(String namespace) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.apps().statefulSets().inNamespace(namespace).list().getItems());
        all.addAll(client.batch().v1().jobs().inNamespace(namespace).list().getItems());
        all.addAll(client.batch().v1().cronjobs().inNamespace(namespace).list().getItems());
        all.addAll(client.services().inNamespace(namespace).list().getItems());
        all.addAll(client.secrets().inNamespace(namespace).list().getItems());
        all.addAll(client.configMaps().inNamespace(namespace).list().getItems());
        all.addAll(client.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        all.addAll(client.pods().inNamespace(namespace).list().getItems());
        return all;
    }

    @Override
    public void close() {
        kubelet.close();
        client.close();
        server.destroy();
    }
}
