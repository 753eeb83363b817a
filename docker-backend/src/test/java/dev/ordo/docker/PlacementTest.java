package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Placement and the checks a deployment across engines must pass before any engine is asked anything. */
class PlacementTest {
    // Never contacted: every check below fails before a connection is opened.
    private static final DockerEngine PC1 = DockerEngine.at("pc1", "tcp://192.0.2.1:2376");
    private static final DockerEngine PC2 = DockerEngine.at("pc2", "tcp://192.0.2.2:2376");

    private static Deployment kraken() {
        return Deployment.builder("kraken")
                .service("mongodb", s -> s.image("mongo:7").port(27017).profiles("dbs", "local")
                        .volume("mongo-data", "/data/db"))
                .service("scheduler", s -> s.image("airflow:2").profiles("infrastructure", "local"))
                .service("webapp", s -> s.image("webapp:1").port(8501).profiles("webapp", "local"))
                .build();
    }

    @Test
    void nodesArePlacedByNameThenByTheirFirstPlacedProfileThenByDefault() {
        Placement p = Placement.builder().profile("dbs", "pc1").profile("local", "pc2").node("webapp", "pc1")
                .otherwise("pc3").build();
        Deployment d = kraken();
        assertThat(p.engineOf(d.node("mongodb").orElseThrow())).contains("pc1");
        assertThat(p.engineOf(d.node("scheduler").orElseThrow())).contains("pc2");
        assertThat(p.engineOf(d.node("webapp").orElseThrow())).contains("pc1");
        assertThat(Placement.builder().build().engineOf(d.node("webapp").orElseThrow())).isEmpty();
    }

    @Test
    void thePlacementMayNameOnlyTheBackendsEngines() {
        assertThatThrownBy(() -> DockerBackend.onEngines(Placement.all("pc3"), PC1, PC2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engine 'pc3', which is not one of this backend's engines [pc1, pc2]")
                .hasMessageContaining("did you mean 'pc1'?");
        assertThatThrownBy(() -> DockerBackend.onEngines(Placement.all("pc1"), PC1, DockerEngine.at("pc1",
                "unix:///var/run/docker.sock"))).hasMessageContaining("two Docker engines are named 'pc1'");
        assertThatThrownBy(() -> DockerEngine.at("PC 1", "unix:///var/run/docker.sock"))
                .hasMessageContaining("'PC 1' must be a DNS-1123 label");
        assertThatThrownBy(() -> DockerEngine.at("pc1", "http://pc1:2375"))
                .hasMessageContaining("Docker engine 'pc1': host 'http://pc1:2375' must be a unix://, tcp://");
        assertThatThrownBy(() -> DockerEngine.at("pc1", "tcp://pc 1")).hasMessageContaining("is not a URI");
    }

    @Test
    void aRemoteEngineWithoutAnAddressIsNamedWithTheFix() {
        try (DockerBackend b = DockerBackend.onEngines(Placement.builder().profile("dbs", "pc1").otherwise("pc2")
                .build(), PC1, PC2)) {
            assertThatThrownBy(() -> b.prepare(kraken())).isInstanceOf(OrdoException.class)
                    .hasMessageContaining("node 'scheduler' runs on Docker engine 'pc2' (tcp://192.0.2.2:2376), which containers"
                            + " on engine 'pc1' cannot find")
                    .hasMessageContaining(".reachableAt(");
        }
    }

    @Test
    void aVolumeMountedOnTwoEnginesIsRefused() {
        Deployment d = kraken().toBuilder()
                .service("backup", s -> s.image("mongo:7").volume("mongo-data", "/data/db")).build();
        try (DockerBackend b = DockerBackend.onEngines(Placement.builder().profile("dbs", "pc1").otherwise("pc2")
                .build(), PC1.reachableAt("192.0.2.1"), PC2.reachableAt("192.0.2.2"))) {
            assertThatThrownBy(() -> b.prepare(d))
                    .hasMessageContaining("volume 'mongo-data' is mounted by 'mongodb' on engine 'pc1' and by 'backup'"
                            + " on engine 'pc2'");
        }
    }

    @Test
    void networksOtherThanThePlainDefaultOneAreRefusedAcrossEngines() {
        Placement p = Placement.builder().profile("dbs", "pc1").otherwise("pc2").build();
        Deployment joined = kraken().toBuilder().network(dev.ordo.Network.of("backend").asInternal())
                .service("cache", s -> s.image("redis:7").networks("backend")).build();
        Deployment internalDefault = kraken().toBuilder()
                .network(dev.ordo.Network.of(dev.ordo.Network.DEFAULT).asInternal()).build();
        try (DockerBackend b = DockerBackend.onEngines(p, PC1.reachableAt("192.0.2.1"),
                PC2.reachableAt("192.0.2.2"))) {
            assertThatThrownBy(() -> b.prepare(joined)).isInstanceOf(OrdoException.class)
                    .hasMessageContaining("node 'cache' of 'kraken' joins networks [backend]")
                    .hasMessageContaining("spans Docker engines [pc1, pc2]")
                    .hasMessageContaining("place every node on one engine, or keep the nodes on the default network");
            assertThatThrownBy(() -> b.prepare(internalDefault)).isInstanceOf(OrdoException.class)
                    .hasMessageContaining("declares its default network internal");
        }
        // on one engine of the backend, as it is
        try (DockerBackend b = DockerBackend.onEngines(Placement.all("pc1"), PC1, PC2)) {
            assertThat(b.placement(joined, "cache")).contains("pc1");
        }
    }

    @Test
    void twoNodesNeedingOneHostPortOnOneMachineAreRefused() {
        Deployment d = kraken().toBuilder().service("webapp-2", s -> s.image("webapp:1").port(8501)).build();
        try (DockerBackend b = DockerBackend.onEngines(Placement.builder().profile("dbs", "pc1").otherwise("pc2")
                .build(), DockerEngine.at("pc1", "unix:///run/a.sock"), DockerEngine.at("pc2", "unix:///run/b.sock"))) {
            assertThatThrownBy(() -> b.prepare(d)).hasMessageContaining("nodes 'webapp' (engine 'pc2') and"
                    + " 'webapp-2' (engine 'pc2') both need host port 8501 on this machine");
        }
    }

    @Test
    void aSingleEngineBackendReportsNoPlacement() {
        try (DockerBackend b = DockerBackend.connect(URI.create("unix:///var/run/docker.sock"))) {
            assertThat(b.placement(kraken(), "mongodb")).isEmpty();
            assertThat(b.engines()).extracting(DockerEngine::name).containsExactly("default");
        }
        try (DockerBackend b = DockerBackend.onEngines(Placement.all("pc1"), PC1, PC2)) {
            assertThat(b.placement(kraken(), "mongodb")).contains("pc1");
            assertThat(b.name()).isEqualTo("docker (2 engines)");
        }
    }
}
