package dev.ordo.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the export tests share: a mock API server per test, and parsing rendered YAML back into fabric8's model.
 *
 * <pre>{@code
 * class MyExportTest extends ManifestTests { ... parse(KubernetesManifests.of(plan).render()) ... }
 * }</pre>
 */
abstract class ManifestTests {
    protected MockCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    protected List<HasMetadata> parse(String yaml) {
        return cluster.parse(yaml);
    }

    /** The pod spec of a Deployment, StatefulSet or Job; null for any other object. */
    protected static io.fabric8.kubernetes.api.model.PodSpec podSpec(HasMetadata o) {
        if (o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
            return j.getSpec().getTemplate().getSpec();
        }
        return null;
    }
}
