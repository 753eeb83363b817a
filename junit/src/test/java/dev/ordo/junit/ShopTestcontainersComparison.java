package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same three-node test as {@link ShopDockerIT}, written with Testcontainers, for the README's comparison of
 * lines and wall time (bench/junit/run.sh). Not part of the test run.
 */
@Testcontainers
class ShopTestcontainersComparison {
    static final String IMAGE = "ordo-stand-in:busybox";
    static final Network NET = Network.newNetwork();

    @Container
    static final GenericContainer<?> DB = new GenericContainer<>(IMAGE).withNetwork(NET).withNetworkAliases("db")
            .withExposedPorts(5432).waitingFor(Wait.forListeningPort())
            .withCommand("sh", "-c", "echo db up; trap 'exit 0' TERM; nc -ll -p 5432 -e echo ready & wait");

    @Container
    static final GenericContainer<?> MIGRATE = new GenericContainer<>(IMAGE).withNetwork(NET).dependsOn(DB)
            .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))
            .withCommand("sh", "-c", "echo migrating; nc db 5432 </dev/null && echo migrated");

    @Container
    static final GenericContainer<?> API = new GenericContainer<>(IMAGE).withNetwork(NET).dependsOn(DB, MIGRATE)
            .withExposedPorts(8080).waitingFor(Wait.forHttp("/"))
            .withCommand("sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait");

    @BeforeAll
    static void image() {
        Shop.ensureImage();
    }

    @Test
    void theApiAnswersOnARandomPort() throws Exception {
        String api = API.getHost() + ":" + API.getMappedPort(8080);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + api
                + "/index.html")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void logsAndExecReachTheContainers() throws Exception {
        assertThat(MIGRATE.getLogs()).isEqualTo("migrating\nready\nmigrated\n");
        var r = DB.execInContainer("sh", "-c", "echo $((6 * 7)); exit 3");
        assertThat(r.getExitCode()).isEqualTo(3);
        assertThat(r.getStdout()).isEqualTo("42\n");
    }
}
