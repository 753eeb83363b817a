package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Network;
import dev.ordo.OrdoException;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.ExecResult;
import dev.ordo.spi.Labels;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deployment's networks on the real engine: an internal network whose nodes reach each other by node name (one
 * named as Compose files name them, {@code plausible_db}) and by alias, but nothing outside it; a container on several
 * networks; an external network joined as it is and left in place; a missing external network named with the fix.
 */
class DockerNetworksIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    /** Serves "ok" on port 8080, and ends at once on SIGTERM. */
    private static final String SERVE = "mkdir -p /www && echo ok > /www/index.html && httpd -p 8080 -h /www && "
            + DockerTestSupport.IDLE;
    private DockerBackend docker;
    private String name;
    private String outside;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("dnet");
        outside = name + "-outside";
    }

    @AfterEach
    void close() {
        DockerTestSupport.quietly("rm", "-f", outside);
        DockerTestSupport.quietly("network", "rm", outside);
        DockerTestSupport.purge(name);
        docker.close();
    }

    private Orchestrator ordo() {
        return Orchestrator.using(docker).timeout(Duration.ofSeconds(60));
    }

    private ExecResult in(Deployment d, String node, String script) {
        return docker.exec(d, node, List.of("sh", "-c", script));
    }

    @Test
    @Timeout(180)
    void nodesOnAnInternalNetworkReachEachOtherByNameAndAliasButNothingOutsideIt() throws Exception {
        Deployment d = Deployment.builder(name)
                .network(Network.of("backend").asInternal())
                .service("plausible_db", s -> s.image(IMAGE).port(8080).shell(SERVE).networks("backend")
                        .alias("database").healthCheck(HealthCheck.tcp(8080)))
                .service("api", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE)
                        .networks("backend", Network.DEFAULT).dependsOn("plausible_db", Condition.HEALTHY))
                .service("inside", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE).networks("backend"))
                .build();
        RunReport up = ordo().up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(up.node("plausible_db").state()).isEqualTo(NodeState.HEALTHY);

        for (String from : List.of("api", "inside")) {
            for (String host : List.of("plausible_db", "database")) {
                ExecResult got = in(d, from, "wget -q -O - http://" + host + ":8080/");
                assertThat(got.output()).as(from + " -> " + host + ": " + got).containsExactly("ok");
            }
        }
        String backend = name + "-backend";
        String network = name + "-network";
        var db = DockerTestSupport.inspect(name, "plausible_db");
        assertThat(db.getName()).isEqualTo("/" + name + "-plausible_db-1");
        assertThat(db.getNetworkSettings().getNetworks()).containsOnlyKeys(backend);
        assertThat(db.getNetworkSettings().getNetworks().get(backend).getAliases())
                .contains("plausible_db", "database");
        assertThat(DockerTestSupport.inspect(name, "api").getNetworkSettings().getNetworks())
                .containsOnlyKeys(backend, network);
        var internal = DockerTestSupport.client().inspectNetworkCmd().withNetworkId(backend).exec();
        assertThat(internal.getInternal()).isTrue();
        assertThat(internal.getLabels()).containsEntry(Labels.DEPLOYMENT, name);
        assertThat(DockerTestSupport.client().inspectNetworkCmd().withNetworkId(network).exec().getInternal())
                .isFalse();

        // Outside the deployment: a container of the test's own network, published on the host address the
        // default network's containers reach the host by. The host forwards to it from a network with a route out
        // (api), and drops what comes from an internal one (inside), whichever host address it is sent to.
        String gateway = DockerTestSupport.client().inspectNetworkCmd().withNetworkId(network).exec().getIpam()
                .getConfig().get(0).getGateway();
        int port = freePort();
        DockerTestSupport.docker("network", "create", outside);
        DockerTestSupport.docker("run", "-d", "--name", outside, "--network", outside, "-p",
                gateway + ":" + port + ":8080", IMAGE, "sh", "-c", SERVE);
        String fetch = "timeout 3 wget -q -O - http://" + gateway + ":" + port + "/";
        Instant until = Instant.now().plusSeconds(30);
        ExecResult fromApi = in(d, "api", fetch);
        while (fromApi.exitCode() != 0 && Instant.now().isBefore(until)) { // until the outside server listens
            fromApi = in(d, "api", fetch);
        }
        assertThat(fromApi.output()).as(fromApi.toString()).containsExactly("ok");
        ExecResult fromInside = in(d, "inside", fetch);
        assertThat(fromInside.exitCode()).as(fromInside.toString()).isNotZero();
        assertThat(fromInside.output()).doesNotContain("ok");

        assertThat(ordo().down(d).succeeded()).isTrue();
        assertThat(DockerTestSupport.networks(name)).isZero();
    }

    @Test
    @Timeout(120)
    void anExternalNetworkIsJoinedAsItIsAndLeftInPlaceAndAMissingOneIsNamedWithTheFix() {
        String external = name + "-proxy";
        Deployment d = Deployment.builder(name)
                .network(Network.external(external))
                .service("web", s -> s.image(IMAGE).port(8080).shell(SERVE).networks(external, Network.DEFAULT)
                        .alias("www").healthCheck(HealthCheck.tcp(8080)))
                .build();
        assertThatThrownBy(() -> ordo().up(d.plan())).isInstanceOf(OrdoException.class)
                .hasMessageContaining("network '" + external + "' is external")
                .hasMessageContaining("docker network create " + external);
        assertThat(DockerTestSupport.containers(name)).isEmpty();

        DockerTestSupport.docker("network", "create", external);
        try {
            RunReport up = ordo().up(d.plan());
            assertThat(up.succeeded()).as(up.render()).isTrue();
            var web = DockerTestSupport.inspect(name, "web");
            assertThat(web.getNetworkSettings().getNetworks()).containsOnlyKeys(external, name + "-network");
            assertThat(web.getNetworkSettings().getNetworks().get(external).getAliases()).contains("web", "www");
            // a container outside the deployment, on the external network, reaches the node by its alias
            String got = DockerTestSupport.docker("run", "--rm", "--network", external, IMAGE,
                    "wget", "-q", "-O", "-", "http://www:8080/");
            assertThat(got.trim()).isEqualTo("ok");

            assertThat(ordo().down(d).succeeded()).isTrue();
            assertThat(DockerTestSupport.networks(name)).isZero();
            var kept = DockerTestSupport.client().inspectNetworkCmd().withNetworkId(external).exec();
            assertThat(kept.getLabels()).doesNotContainKey(Labels.DEPLOYMENT);
        } finally {
            DockerTestSupport.quietly("network", "rm", external);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
