package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Secret;
import dev.ordo.spi.StopMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Jobs (exit codes, log tails, retries, deadlines), secrets and missing images on a real engine. */
class JobsAndSecretsIT extends BackendFixture {
    JobsAndSecretsIT() {
        super("job");
    }

    @Test
    void successfulJobReportsExitCodeZero() {
        Deployment d = Deployment.builder(name)
                .job("migrate", j -> j.image(DockerTestSupport.IMAGE).shell("echo migrating; sleep 0.3; echo done"))
                .build();
        start(d, "migrate");
        var exited = events.await("migrate", LIMIT, "exited", "failed");
        assertThat(exited.type()).isEqualTo("exited");
        assertThat(exited.exitCode()).isZero();
        assertThat(exited.logTail()).containsExactly("migrating", "done");
        assertThat(events.of("migrate")).extracting(RecordingEvents.Recorded::type)
                .containsExactly("started", "exited");
    }

    @Test
    void failedJobReportsItsExitCodeAndTheLast50LinesOfItsOutput() {
        Deployment d = Deployment.builder(name)
                .job("migrate", j -> j.image(DockerTestSupport.IMAGE)
                        .shell("for i in $(seq 1 80); do echo line $i; done; sleep 0.3; "
                                + "echo 'table exists' >&2; exit 3"))
                .build();
        start(d, "migrate");
        var exited = events.await("migrate", LIMIT, "exited", "failed");
        assertThat(exited.exitCode()).isEqualTo(3);
        // stdout and stderr reach Docker's log through separate pipes; the pause makes their order certain.
        assertThat(exited.logTail()).hasSize(50);
        assertThat(exited.logTail().get(49)).isEqualTo("table exists");
        assertThat(exited.logTail().get(0)).isEqualTo("line 32");
    }

    @Test
    void jobIsRetriedUpToItsBackoffLimitAndKeepsStateInItsVolume() {
        // Fails twice, then succeeds: the attempt counter lives in a named volume that survives the retries.
        Deployment d = Deployment.builder(name)
                .job("flaky", j -> j.image(DockerTestSupport.IMAGE).volume("state", "/state").retries(2)
                        .shell("echo x >> /state/attempts; n=$(wc -l < /state/attempts); echo attempt $n; "
                                + "[ $n -ge 3 ]"))
                .build();
        start(d, "flaky");
        var exited = events.await("flaky", LIMIT, "exited", "failed");
        assertThat(exited.exitCode()).isZero();
        assertThat(exited.logTail()).containsExactly("attempt 3");
        assertThat(DockerTestSupport.volumes(name)).isEqualTo(1);
    }

    @Test
    void jobThatExhaustsItsRetriesReportsTheLastFailure() {
        Deployment d = Deployment.builder(name)
                .job("doomed", j -> j.image(DockerTestSupport.IMAGE).volume("state", "/state").retries(1)
                        .shell("echo x >> /state/attempts; echo attempt $(wc -l < /state/attempts); exit 7"))
                .build();
        start(d, "doomed");
        var exited = events.await("doomed", LIMIT, "exited", "failed");
        assertThat(exited.exitCode()).isEqualTo(7);
        assertThat(exited.logTail()).containsExactly("attempt 2");
    }

    @Test
    void jobPastItsActiveDeadlineIsKilledAndSaysSo() {
        Deployment d = Deployment.builder(name)
                .job("slow", j -> j.image(DockerTestSupport.IMAGE).shell("echo working; exec sleep 60")
                        .activeDeadline(Duration.ofMillis(800)))
                .build();
        start(d, "slow");
        var exited = events.await("slow", LIMIT, "exited", "failed");
        assertThat(exited.exitCode()).isNotZero();
        assertThat(exited.logTail()).first().isEqualTo("working");
        assertThat(exited.logTail()).last().asString().contains("active deadline");
    }

    @Test
    void secretIsDeliveredAsAReadOnlyFileAndAppearsInNoInspectOutputOrLog() {
        String value = "s3cr3t-" + java.util.UUID.randomUUID();
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("db-password", value))
                .service("db", s -> s.image(DockerTestSupport.IMAGE).secret("db-password")
                        .shell("stat -c '%a %U' /run/secrets/db-password; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-s", "/run/secrets/db-password")))
                .build();
        start(d, "db");
        assertThat(events.await("db", LIMIT, "healthy", "unhealthy", "failed", "exited").type())
                .isEqualTo("healthy");
        String container = name + "-db-1";
        assertThat(DockerTestSupport.docker("exec", container, "cat", "/run/secrets/db-password")).isEqualTo(value);
        assertThat(DockerTestSupport.docker("logs", container)).contains("400 root").doesNotContain(value);
        String inspect = DockerTestSupport.docker("inspect", container);
        assertThat(inspect).contains("db-password").doesNotContain(value);
        assertThat(DockerTestSupport.docker("network", "inspect", name + "-network")).doesNotContain(value);
        assertThat(events.logs()).noneMatch(l -> l.contains(value));
    }

    @Test
    void secretOptedIntoTheEnvironmentIsThere() {
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("token", "env-token-value"))
                .job("legacy", j -> j.image(DockerTestSupport.IMAGE).secretAsEnv("token", "TOKEN")
                        .shell("echo token=$TOKEN"))
                .build();
        start(d, "legacy");
        assertThat(events.await("legacy", LIMIT, "exited", "failed").logTail())
                .containsExactly("token=env-token-value");
    }

    @Test
    void missingImageThatCannotBePulledFailsNamingNodeAndImage() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image("ordo-test-missing/nothing:1").command("true"))
                .build();
        start(d, "web");
        var failed = events.await("web", Duration.ofSeconds(90), "failed", "started");
        assertThat(failed.type()).isEqualTo("failed");
        assertThat(failed.detail()).contains("node 'web'", "ordo-test-missing/nothing:1", "stand-ins");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }

    @Test
    void serviceThatCrashesWithoutRestartPolicyIsReportedExited() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE).shell("echo bad config >&2; exit 2"))
                .build();
        start(d, "web");
        var exited = events.await("web", LIMIT, "exited", "failed");
        assertThat(exited.exitCode()).isEqualTo(2);
        assertThat(exited.logTail()).containsExactly("bad config");
    }

    @Test
    void serviceRestartedByItsPolicyIsNotReportedExitedAndBecomesHealthy() {
        // The first run crashes; Docker's on-failure policy brings it back, and the second run comes up.
        Deployment d = Deployment.builder(name)
                .service("worker", s -> s.image(DockerTestSupport.IMAGE).volume("state", "/state")
                        .restart(dev.ordo.RestartPolicy.ON_FAILURE)
                        .shell("echo x >> /state/runs; [ $(wc -l < /state/runs) -ge 2 ] || exit 1; "
                                + "touch /tmp/up; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-e", "/tmp/up")))
                .build();
        start(d, "worker");
        var verdict = events.await("worker", LIMIT, "healthy", "unhealthy", "exited", "failed");
        assertThat(verdict.type()).isEqualTo("healthy");
        assertThat(events.of("worker")).extracting(RecordingEvents.Recorded::type)
                .containsExactly("started", "started", "healthy");
        assertThat(DockerTestSupport.docker("inspect", "-f", "{{.RestartCount}}", name + "-worker-1").trim())
                .isEqualTo("1");
    }

    @Test
    void stopHonoursTheGracePeriodOfAProcessThatIgnoresSigterm() {
        Deployment d = Deployment.builder(name)
                .service("stubborn", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("trap '' TERM; while :; do sleep 0.1; done"))
                .build();
        start(d, "stubborn");
        events.await("stubborn", LIMIT, "started");
        long t0 = System.nanoTime();
        backend.stop(d, "stubborn", StopMode.remove(Duration.ofSeconds(1)), events);
        events.await("stubborn", LIMIT, "stopped", "failed");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        assertThat(backend.observe(d)).as("removed once the backend is asked again").isEmpty();
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }
}
