package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The README's three-node example on the real engine: one deployment for the class, reached at its address. */
class ShopDockerIT {
    static {
        Shop.ensureImage(); // before the extension brings SHOP up
    }

    @Deployed
    static final TestDeployment SHOP = TestDeployment.of(Shop.deployment()).onDocker();

    @Test
    void theApiAnswersOnARandomLoopbackPort() throws Exception {
        String api = SHOP.address("api", 8080);
        assertThat(api).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:8080");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + api
                + "/index.html")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void theRunReportSaysInWhichOrderItCameUp(RunReport report) {
        ReportAssert.assertThat(report).succeeded().respectsDependencies(SHOP.deployment().plan());
        assertThat(report.deployment()).startsWith("shop-").hasSize("shop-".length() + 6);
    }

    @Test
    void logsAndExecReachTheContainers() {
        assertThat(SHOP.logs("migrate")).containsExactly("migrating", "ready", "migrated");
        var r = SHOP.exec("db", "sh", "-c", "echo $((6 * 7)); exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).containsExactly("42");
    }
}
