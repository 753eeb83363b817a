package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Resources;
import dev.ordo.Security;
import dev.ordo.Toleration;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.ExecResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resources and security contexts on the real engine: the limits the kernel enforces, the user the process runs as
 * (by id or by name), a root filesystem it cannot write, and the kubelet's non-root rule refusing a root image, or a
 * user name no one can check, before anything runs.
 */
class DockerProcessSettingsIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("prc");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        docker.close();
    }

    @Test
    @Timeout(120)
    void limitsUserAndReadOnlyRootReachTheProcess() {
        Deployment d = Deployment.builder(name)
                .service("app", s -> s.image(IMAGE).shell("exec sleep 1000").tmpfs("/scratch")
                        .resources(Resources.none().cpu("250m", "500m").memory("32Mi", "64Mi"))
                        .security(Security.none().user(1000).group(2000).nonRoot().readOnlyRoot())
                        // Kubernetes-only: kept as data, the node runs as usual
                        .nodeSelector("disktype", "ssd")
                        .toleration(Toleration.exists("dedicated", Toleration.Effect.NO_SCHEDULE)))
                .build();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();

        var host = DockerTestSupport.inspect(name, "app").getHostConfig();
        assertThat(host.getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(host.getMemoryReservation()).isEqualTo(32L * 1024 * 1024);
        assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(host.getCpuShares()).isEqualTo(256);
        // what the process sees, not only what the engine was told
        ExecResult id = docker.exec(d, "app", List.of("id"));
        assertThat(String.join("\n", id.output())).contains("uid=1000", "gid=2000");
        // cgroup v2 keeps the limit in memory.max, v1 in memory/memory.limit_in_bytes: one of them must say 64 MiB
        ExecResult limit = docker.exec(d, "app", List.of("sh", "-c",
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes"));
        assertThat(limit.exitCode()).as(String.join("\n", limit.output())).isZero();
        assertThat(String.join("", limit.output()).trim()).isEqualTo(Long.toString(64L * 1024 * 1024));
        ExecResult write = docker.exec(d, "app", List.of("touch", "/written"));
        assertThat(write.exitCode()).isNotZero();
        assertThat(String.join("\n", write.output())).contains("Read-only file system");
        assertThat(docker.exec(d, "app", List.of("touch", "/scratch/ok")).exitCode()).isZero();
    }

    @Test
    @Timeout(120)
    void aRestrictedNodeRunsWithoutPrivilegeEscalationCapabilitiesOrUnconfinedSeccomp() {
        Deployment d = Deployment.builder(name)
                .service("app", s -> s.image(IMAGE).shell("exec sleep 1000")
                        .security(Security.restricted().user(1000)))
                .build();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        var host = DockerTestSupport.inspect(name, "app").getHostConfig();
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        // what the process itself has (PID 1, the node's own process): no_new_privs set, no capability, seccomp
        // filtering (2) by Docker's default profile
        ExecResult status = docker.exec(d, "app", List.of("cat", "/proc/1/status"));
        String text = String.join("\n", status.output());
        assertThat(text).containsPattern("NoNewPrivs:\\s+1").containsPattern("CapEff:\\s+0000000000000000")
                .containsPattern("CapBnd:\\s+0000000000000000").containsPattern("Seccomp:\\s+2");
        assertThat(String.join("\n", docker.exec(d, "app", List.of("id")).output())).contains("uid=1000");
    }

    @Test
    @Timeout(120)
    void aUserGivenByNameIsTheUserTheImageResolvesItTo() {
        // the stand-in image's /etc/passwd and /etc/group have nobody (65534) and nogroup (65534)
        Deployment d = Deployment.builder(name)
                .service("app", s -> s.image(IMAGE).shell("exec sleep 1000")
                        .security(Security.none().user("nobody:nogroup")))
                .service("tool", s -> s.image(IMAGE).shell("exec sleep 1000").security(Security.none().user("nobody")))
                .build();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(DockerTestSupport.inspect(name, "app").getConfig().getUser()).isEqualTo("nobody:nogroup");
        assertThat(String.join("\n", docker.exec(d, "app", List.of("id")).output()))
                .contains("uid=65534(nobody)", "gid=65534(nogroup)");
        assertThat(String.join("\n", docker.exec(d, "tool", List.of("id")).output())).contains("uid=65534(nobody)");
    }

    @Test
    @Timeout(120)
    void aNodeThatMustNotRunAsRootAndIsGivenAUserNameIsRefusedAndNothingRuns() {
        assertRefusedAndNothingRuns(Security.none().user("nobody").nonRoot(), "user 'nobody'");
    }

    @Test
    @Timeout(120)
    void aNodeThatMustNotRunAsRootIsRefusedWhenItsImageWouldAndNothingRuns() {
        assertRefusedAndNothingRuns(Security.none().nonRoot(), "runs as root");
    }

    private void assertRefusedAndNothingRuns(Security security, String why) {
        Deployment d = Deployment.builder(name)
                .service("app", s -> s.image(IMAGE).shell("exec sleep 1000").security(security))
                .build();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(d.plan());
        assertThat(up.succeeded()).isFalse();
        assertThat(up.render()).contains("node 'app' must not run as root", why,
                ".security(Security.none().user(1000).nonRoot())");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }
}
