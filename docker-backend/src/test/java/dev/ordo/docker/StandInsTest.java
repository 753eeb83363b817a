package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Secret;
import dev.ordo.Service;
import dev.ordo.docker.internal.images.StandInImage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stand-in settings and how a node is rewritten into its stand-in (no engine needed). */
class StandInsTest {
    private final Deployment clp = Deployment.builder("clp")
            .secret(Secret.literal("db-password", "x"))
            .service("database", s -> s.image("mysql:8").secret("db-password").env("A", "1").port(3306)
                    .bind("/srv/mysql-conf", "/etc/mysql/conf.d").volume("data", "/var/lib/mysql")
                    .healthCheck(HealthCheck.command("mysqladmin", "ping").interval(Duration.ofSeconds(2)).retries(7)))
            .service("webui", s -> s.image("clp:main").healthCheck(HealthCheck.http(4000, "/status/")))
            .service("logs", s -> s.image("clp:main").healthCheck(HealthCheck.logLine("listening on \\d+")))
            .job("init", j -> j.image("clp:main").command("python3", "-m", "init").retries(2))
            .build();

    @Test
    void defaultsAndOverridesPerNode() {
        StandIns s = StandIns.defaults().readyAfter(Duration.ofSeconds(1)).readyAfter("database", Duration.ofSeconds(2))
                .runFor(Duration.ofMillis(300)).exitCode("init", 4).neverReady("webui");
        assertThat(s.delayFor("database", false)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.delayFor("webui", false)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.delayFor("init", true)).isEqualTo(Duration.ofMillis(300));
        assertThat(s.exitCodeFor("init")).isEqualTo(4);
        assertThat(s.exitCodeFor("other")).isZero();
        assertThat(s.isNeverReady("webui")).isTrue();
        assertThat(s.isNeverReady("database")).isFalse();
        assertThat(StandIns.defaults()).isEqualTo(StandIns.defaults()).isNotEqualTo(s);
        assertThat(StandIns.defaults().delayFor("x", false)).isEqualTo(StandIns.DEFAULT_READY_AFTER);
    }

    @Test
    void invalidSettingsAreRejectedNamingTheNode() {
        assertThatThrownBy(() -> StandIns.defaults().exitCode("init", 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'init'").hasMessageContaining("0..255");
        assertThatThrownBy(() -> StandIns.defaults().readyAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void serviceKeepsItsShapeButRunsTheStandInImage() {
        Node db = clp.requireNode("database");
        Service standIn = (Service) StandInRewrite.of(db, StandIns.defaults().readyAfter("database",
                Duration.ofMillis(1500)), 1);
        assertThat(standIn.name()).isEqualTo("database");
        assertThat(standIn.container().image()).isEqualTo(StandInImage.REFERENCE);
        assertThat(standIn.container().environment()).containsEntry("A", "1");
        assertThat(standIn.container().ports()).isEqualTo(db.container().ports());
        assertThat(standIn.container().secrets()).isEqualTo(db.container().secrets());
        assertThat(standIn.container().mounts()).extracting(Mount::type)
                .containsExactly(Mount.Type.TMPFS, Mount.Type.VOLUME);
        HealthCheck hc = standIn.container().healthCheck().orElseThrow();
        assertThat(hc.probe()).isEqualTo(new HealthCheck.Command(List.of("test", "-e", StandInRewrite.READY_FILE)));
        assertThat(hc.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(hc.retries()).isEqualTo(7);
        String script = standIn.container().entrypoint().get(2);
        assertThat(script).contains("sleep 1.500", "touch " + StandInRewrite.READY_FILE, "trap 'exit 0' TERM");
        assertThat(standIn.configHash()).isNotEqualTo(db.configHash());
    }

    @Test
    void httpAndLogLineChecksKeepTheirKind() {
        Service web = (Service) StandInRewrite.of(clp.requireNode("webui"), StandIns.defaults(), 1);
        assertThat(web.container().healthCheck().orElseThrow().probe()).isEqualTo(new HealthCheck.Http(4000,
                "/status/"));
        assertThat(web.container().entrypoint().get(2)).contains("httpd -p 4000 -h /www", "/www/status/index.html");
        Service logs = (Service) StandInRewrite.of(clp.requireNode("logs"), StandIns.defaults(), 1);
        var probe = (HealthCheck.LogLine) logs.container().healthCheck().orElseThrow().probe();
        assertThat(java.util.regex.Pattern.compile(probe.regex()).matcher(StandInRewrite.READY_LINE).find()).isTrue();
    }

    @Test
    void aComposeShapedNodeKeepsItsNetworksAndRestartLimitButNotItsBuildAndItsImagesCheckIsTheStandIns() {
        Deployment d = Deployment.builder("shop")
                .network(dev.ordo.Network.of("backend").asInternal())
                .service("plausible_db", s -> s.build(dev.ordo.Build.context("services/db")).networks("backend")
                        .alias("database").restart(dev.ordo.RestartPolicy.ON_FAILURE).maxRestarts(2)
                        .healthCheck(HealthCheck.fromImage().interval(Duration.ofSeconds(3))))
                .build();
        Service db = (Service) StandInRewrite.of(d.requireNode("plausible_db"), StandIns.defaults(), 1);
        assertThat(db.container().build()).isEmpty();
        assertThat(db.container().networking()).isEqualTo(d.requireNode("plausible_db").container().networking());
        assertThat(db.maxRestarts()).isEqualTo(2);
        // the stand-in image's variant has a HEALTHCHECK on the ready file: the image's own check is still read
        assertThat(db.container().image()).isEqualTo(StandInImage.WITH_HEALTH_CHECK);
        assertThat(db.container().imageFor("shop", "plausible_db")).isEqualTo(StandInImage.WITH_HEALTH_CHECK);
        HealthCheck hc = db.container().healthCheck().orElseThrow();
        assertThat(hc.probe()).isInstanceOf(HealthCheck.ImageDefined.class);
        assertThat(hc.interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(db.container().entrypoint().get(2)).contains("touch " + StandInImage.READY_FILE);
    }

    @Test
    void neverReadyServiceNeverSignalsReadiness() {
        Service web = (Service) StandInRewrite.of(clp.requireNode("webui"), StandIns.defaults().neverReady("webui"), 1);
        String script = web.container().entrypoint().get(2);
        assertThat(script).doesNotContain("httpd").doesNotContain(StandInRewrite.READY_LINE);
    }

    @Test
    void jobExitsWithItsCodeAfterItsDelayAndKeepsItsRetries() {
        Job init = (Job) StandInRewrite.of(clp.requireNode("init"), StandIns.defaults().exitCode("init", 5)
                .runFor("init", Duration.ofMillis(250)), 1);
        assertThat(init.backoffLimit()).isEqualTo(2);
        assertThat(init.container().command()).isEmpty();
        assertThat(init.container().entrypoint().get(2)).contains("sleep 0.250", "exit 5");
    }

    @Test
    void scriptedExitsPerAttemptAndPrintedLinesAreInTheStandInsScript() {
        StandIns s = StandIns.defaults().exits("init", Duration.ofMillis(200), 1, 0)
                .prints("init", "migrating").printsToStderr("init", "ERROR: it's broken");
        String first = ((Job) StandInRewrite.of(clp.requireNode("init"), s, 1)).container().entrypoint().get(2);
        String second = ((Job) StandInRewrite.of(clp.requireNode("init"), s, 2)).container().entrypoint().get(2);
        assertThat(first).contains("sleep 0.200", "echo 'migrating'\n", "echo 'ERROR: it'\\''s broken' >&2", "exit 1");
        assertThat(second).contains("exit 0");
        assertThat(s.exitCodeFor("init", 7)).isZero();
        Service crashing = (Service) StandInRewrite.of(clp.requireNode("webui"), StandIns.defaults()
                .readyAfter("webui", Duration.ofSeconds(5)).exits("webui", Duration.ofMillis(300), 3), 1);
        assertThat(crashing.container().entrypoint().get(2)).contains("sleep 0.300", "exit 3")
                .doesNotContain("httpd");
        assertThatThrownBy(() -> StandIns.defaults().exits("init", Duration.ZERO))
                .hasMessageContaining("'init'").hasMessageContaining("at least one exit code");
    }
}
