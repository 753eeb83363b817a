package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Port;
import dev.ordo.run.Failure;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports published on one host address: bound there only (what the engine was told, and what listens on this host),
 * reachable there; on an address the host does not have, an error naming the node, the address and the fix.
 */
class DockerPortsIT {
    private static final String SERVE = "mkdir -p /www && echo ok > /www/index.html && httpd -p 8080 -h /www && "
            + DockerTestSupport.IDLE;
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("dport");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        docker.close();
    }

    @Test
    @Timeout(120)
    void aPortPublishedOnLoopbackIsBoundThereOnlyAndAnswersThere() throws IOException {
        assertPublishedOnlyOn("127.0.0.1", "127.0.0.1");
    }

    @Test
    @Timeout(120)
    void aPortPublishedOnTheIpv6LoopbackIsBoundThereOnlyAndAnswersThere() throws IOException {
        // without ::1 on this host, the next test shows the error Ordo gives instead
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/net/if_inet6"))
                .contains("00000000000000000000000000000001"), "this host has no ::1");
        assertPublishedOnlyOn("[::1]", "::1"); // as Compose writes it, brackets and all
    }

    /** Publishes container port 8080 on {@code hostIp}, which the engine calls {@code address}, and checks it. */
    private void assertPublishedOnlyOn(String hostIp, String address) throws IOException {
        int port = freePort();
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE).shell(SERVE)
                        .port(Port.published(port, 8080).onHostIp(hostIp)).healthCheck(HealthCheck.tcp(8080)))
                .build();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertBoundOnlyOn(address, port);
        assertThat(get(address, port)).isEqualTo("ok");
        assertThat(docker.address(d, "web", 8080))
                .contains((address.contains(":") ? "[" + address + "]" : address) + ":" + port);
    }

    /** What the engine was told for container port 8080, and what listens on this host for {@code port}. */
    private void assertBoundOnlyOn(String address, int port) throws IOException {
        var web = DockerTestSupport.inspect(name, "web");
        for (var bindings : List.of(web.getHostConfig().getPortBindings().getBindings(),
                web.getNetworkSettings().getPorts().getBindings())) {
            assertThat(bindings).hasSize(1);
            var only = bindings.entrySet().iterator().next();
            assertThat(only.getKey().getPort()).isEqualTo(8080);
            assertThat(only.getValue()).hasSize(1);
            assertThat(only.getValue()[0].getHostIp()).isEqualTo(address);
            assertThat(only.getValue()[0].getHostPortSpec()).isEqualTo(Integer.toString(port));
        }
        assertThat(listening(port)).containsExactly(address);
    }

    @Test
    @Timeout(120)
    void aPortOnAnAddressTheHostDoesNotHaveIsAnErrorNamingTheNodeTheAddressAndTheFix() throws IOException {
        int port = freePort();
        // a documentation address (RFC 3849): no host has it, and binding to it sends nothing anywhere
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE).shell(SERVE)
                        .port(Port.published(port, 8080).onHostIp("2001:db8::7")))
                .build();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(d.plan());
        assertThat(up.succeeded()).isFalse();
        Failure f = up.node("web").failure().orElseThrow();
        assertThat(f.reason()).isEqualTo(Failure.Reason.START_FAILED);
        assertThat(f.message()).contains("node 'web'", "port 8080", "host address 2001:db8::7", "127.0.0.1",
                "drop onHostIp");
    }

    /** The addresses a socket listens on for TCP port {@code port} on this host ({@code /proc/net/tcp[6]}). */
    private static List<String> listening(int port) throws IOException {
        List<String> out = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && "0A".equals(f[3])) { // 0A: LISTEN
                    out.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return out;
    }

    /** A /proc/net address: 32-bit words in host (little-endian) order. */
    private static String address(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress().replace("0:0:0:0:0:0:0:1", "::1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String get(String host, int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http", host, port, "/").openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            c.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
