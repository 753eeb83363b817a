package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The runner, driven through its real command line. */
class OrdoCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return OrdoCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoPrintsThePlanTheTimelineAndTheCriticalPath() {
        assertThat(run("demo")).isEqualTo(0);
        assertThat(out()).contains("plan for 'clp': 18 nodes", "up of 'clp' on simulated: succeeded",
                "critical path: database -> db-table-creator -> webui", "down of 'clp' on simulated: succeeded");
    }

    @Test
    void planRendersEveryFormat() {
        assertThat(run("plan", "--format", "mermaid", "--type", "full")).isEqualTo(0);
        assertThat(out()).startsWith("graph LR").contains("query_scheduler -->|healthy| reducer");
        out.reset();
        assertThat(run("plan", "--format", "dot")).isEqualTo(0);
        assertThat(out()).contains("\"database\" -> \"db-table-creator\" [label=\"healthy\"];");
        out.reset();
        assertThat(run("plan", "--format", "json", "--target", "webui")).isEqualTo(0);
        assertThat(out()).contains("\"name\" : \"webui\"").doesNotContain("\"name\" : \"reducer\"");
    }

    @Test
    void planExportsSelfOrderingKubernetesManifests() {
        assertThat(run("plan", "--format", "k8s", "--type", "base")).isEqualTo(0);
        assertThat(out()).contains("kind: \"Namespace\"", "kind: \"StatefulSet\"", "kind: \"Job\"",
                "kind: \"Role\"", "name: \"wait-for-database\"", "name: \"wait-for-db-table-creator\"",
                "kubectl create secret generic clp-db-password");
        assertThat(out()).doesNotContain("name: \"reducer\"");  // a Full-only node
    }

    @Test
    void failOnlyWorksWhereAFailureCanBeRehearsed() {
        assertThat(run("up", "--backend", "docker", "--fail", "db-table-creator")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("add --stand-ins or use --backend simulated");
    }

    @Test
    void aFailedUpExitsWithOneAndSaysWhy() {
        assertThat(run("up", "--type", "base", "--fail", "db-table-creator")).isEqualTo(1);
        assertThat(out()).contains("up of 'clp' on simulated: FAILED",
                "job 'db-table-creator' exited with code 1", "ERROR: simulated failure of db-table-creator");
    }

    @Test
    void badInputNamesTheFix() {
        assertThat(run("plan", "--format", "svg")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown plan format 'svg'; use one of");
        err.reset();
        assertThat(run("plan", "--target", "web-ui")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("did you mean 'webui'?");
    }
}
