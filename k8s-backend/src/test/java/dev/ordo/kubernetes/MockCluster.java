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

    MockCluster() {
        // The server records expectations into the same map the dispatcher answers from.
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
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
