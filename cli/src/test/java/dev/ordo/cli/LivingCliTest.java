package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's living commands on the simulated backend: supervise, trigger, history. */
class LivingCliTest {
    private final CliSession cli = new CliSession();

    @TempDir
    Path state;

    @Test
    void theNextSuperviseReportsTheFiresMissedSinceTheLastOne() {
        assertThat(cli.run("supervise", "--example", "orchestration-layer", "--start-at", "2026-03-02T13:57:00Z",
                "--for", "1d", "--state-dir", state.toString())).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("2026-03-03T02:00:00Z  fired          daily");
        assertThat(state.resolve("orchestration-layer.state.json")).exists();
        assertThat(cli.run("supervise", "--example", "orchestration-layer", "--start-at", "2026-03-06T13:57:00Z",
                "--for", "1h", "--state-dir", state.toString())).as(cli.err()).isEqualTo(0);
        assertThat(cli.out())
                .contains("fire missed    daily                      due 2026-03-04T02:00:00Z; skipped (catch-up SKIP)")
                .contains("due 2026-03-05T02:00:00Z; skipped").contains("due 2026-03-06T02:00:00Z; skipped");
    }

    @Test
    void superviseRunsThreeVirtualDaysAndHistoryShowsEveryRun() {
        assertThat(cli.run("supervise", "--example", "orchestration-layer", "--start-at", "2026-03-02T13:57:00Z",
                "--for", "3d", "--state-dir", state.toString())).as(cli.err()).isEqualTo(0);
        assertThat(cli.out())
                .contains("up of 'orchestration-layer' on simulated: succeeded")
                .contains("trigger daily", "next at 2026-03-03T02:00:00Z")
                .containsPattern("2026-03-02T13:5\\d:\\d\\dZ  fired +initial-load")
                .contains("2026-03-03T02:00:00Z  fired          daily")
                .contains("2026-03-05T02:00:00Z  fired          daily")
                .containsPattern("run succeeded +daily")
                .contains("stopping: no more fires");

        assertThat(cli.run("history", "daily", "--example", "orchestration-layer", "--state-dir", state.toString()))
                .isEqualTo(0);
        assertThat(cli.out().lines().filter(l -> l.contains(" daily ")))
                .extracting(l -> l.substring(0, 20))
                .containsExactly("2026-03-03T02:00:00Z", "2026-03-04T02:00:00Z", "2026-03-05T02:00:00Z");
        assertThat(cli.out()).contains("succeeded").doesNotContain("failed");
    }

    @Test
    void triggerRunsOnceWithOverridesAndIsRecorded() {
        assertThat(cli.run("trigger", "daily", "--example", "orchestration-layer", "--env",
                "PROCESSING_WINDOW_DAYS=14", "--start-at", "2026-03-02T13:57:00Z", "--state-dir", state.toString()))
                .as(cli.out() + cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("run of 'orchestration-layer'").contains("recommendation-loader");
        assertThat(cli.run("history", "--example", "orchestration-layer", "--state-dir", state.toString()))
                .isEqualTo(0);
        assertThat(cli.out()).containsPattern("daily +r\\d+ +manual +succeeded")
                .doesNotContain("initial-load");
    }

    @Test
    void badInputIsBadUsageNamingTheFix() {
        assertThat(cli.run("trigger", "dialy", "--example", "orchestration-layer", "--state-dir", state.toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("no trigger 'dialy'").contains("daily");
        assertThat(cli.run("supervise", "--example", "manticore", "--state-dir", state.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("give --for");
        assertThat(cli.run("supervise", "--example", "manticore", "--for", "soon")).isEqualTo(2);
        assertThat(cli.err()).contains("'soon' is not a duration");
        assertThat(cli.run("plan", "--example", "manticore", "--type", "full")).isEqualTo(2);
        assertThat(cli.err()).contains("--type chooses a CLP deployment type");
    }

    @Test
    void manticoreReportsItsInvalidScheduleAndRunsTheOthers() {
        assertThat(cli.run("supervise", "--example", "manticore", "--start-at", "2026-03-02T00:00:00Z", "--for",
                "7h", "--state-dir", state.toString())).isEqualTo(0);
        assertThat(cli.err()).contains("ordo: warning: BACKUP_SCHEDULES entry 4").contains("skipped");
        assertThat(cli.out()).contains("2026-03-02T06:00:00Z  fired          backup-addresses-delta")
                .contains("2026-03-02T06:30:00Z  fired          backup-products-delta")
                .doesNotContain("orders");
        assertThat(cli.run("history", "backup-addresses-main", "--example", "manticore", "--state-dir",
                state.toString())).isEqualTo(0);
        assertThat(cli.out()).contains("2026-03-02T02:00:00Z").contains("succeeded");
    }

    @Test
    void kubernetesExportNamesTheTriggerItCannotExpressAndLeavesItToOrdoWhenAsked() {
        assertThat(cli.run("plan", "--format", "k8s", "--example", "orchestration-layer")).isEqualTo(1);
        assertThat(cli.err()).contains("trigger 'daily' sets EVENT_DATE of step 'ingestion'")
                .contains("--leave-to-ordo");
        assertThat(cli.run("plan", "--format", "k8s", "--example", "orchestration-layer", "--leave-to-ordo", "daily"))
                .as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("kind: \"Job\"").containsPattern("name: \"initial-load-at-start-[0-9a-f]{8}\"")
                .doesNotContain("kind: \"CronJob\"").contains("Trigger 'daily' is not here");
        assertThat(cli.run("plan", "--format", "k8s", "--example", "orchestration-layer", "--leave-to-ordo", "dayly"))
                .isNotEqualTo(0);
        assertThat(cli.err()).contains("'dayly'");
    }

    private static final String[] THREE_ENGINES = {"--docker-host", "dbs-pc=unix:///run/a.sock", "--docker-host",
            "infra-pc=unix:///run/b.sock", "--docker-host", "workers-pc=unix:///run/c.sock"};

    @Test
    void planNamesEachNodesEngineAndPlacementMistakesAreBadUsage() {
        String[] plan = java.util.stream.Stream.concat(java.util.stream.Stream.of("plan", "--example",
                "alphakraken"), java.util.Arrays.stream(THREE_ENGINES)).toArray(String[]::new);
        assertThat(cli.run(plan)).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("engines:").containsPattern("mongodb-service +dbs-pc")
                .containsPattern("airflow-scheduler +infra-pc").containsPattern("airflow-worker-test1 +workers-pc");

        String[] placed = java.util.stream.Stream.concat(java.util.Arrays.stream(plan),
                java.util.stream.Stream.of("--place", "webapp=infra-pc")).toArray(String[]::new);
        assertThat(cli.run(placed)).isEqualTo(0);
        assertThat(cli.out()).containsPattern("webapp +infra-pc").containsPattern("mongodb-service +\\(no engine");

        String[] wrong = java.util.stream.Stream.concat(java.util.Arrays.stream(plan),
                java.util.stream.Stream.of("--place", "dbz=dbs-pc")).toArray(String[]::new);
        assertThat(cli.run(wrong)).isEqualTo(2);
        assertThat(cli.err()).contains("--place 'dbz=dbs-pc': 'dbz' is neither a profile");

        assertThat(cli.run("up", "--example", "clp", "--backend", "docker", "--docker-host", "a=unix:///run/a.sock",
                "--docker-host", "b=unix:///run/b.sock")).isEqualTo(2);
        assertThat(cli.err()).contains("nothing says which node runs where; add --place");
    }

    @Test
    void plainTextPlansListTheTriggersOfLivingExamples() {
        assertThat(cli.run("plan", "--example", "manticore")).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("trigger: manual-backup (manual) runs backup")
                .contains("trigger: backup-addresses-delta (cron '0 */6 * * *' (Z)) runs backup");
    }
}
