package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The runner, driven through its real command line. */
class OrdoCliTest {
    private final CliSession cli = new CliSession();

    @Test
    void demoPrintsThePlanTheTimelineAndTheCriticalPath() {
        assertThat(cli.run("demo")).isEqualTo(0);
        assertThat(cli.out()).contains("plan for 'clp': 18 nodes", "up of 'clp' on simulated: succeeded",
                "critical path: database -> db-table-creator -> webui", "down of 'clp' on simulated: succeeded");
    }

    @Test
    void planRendersEveryFormat() {
        assertThat(cli.run("plan", "--format", "mermaid", "--type", "full")).isEqualTo(0);
        assertThat(cli.out()).startsWith("graph LR").contains("query_scheduler -->|healthy| reducer");
        assertThat(cli.run("plan", "--format", "dot")).isEqualTo(0);
        assertThat(cli.out()).contains("\"database\" -> \"db-table-creator\" [label=\"healthy\"];");
        assertThat(cli.run("plan", "--format", "json", "--target", "webui")).isEqualTo(0);
        assertThat(cli.out()).contains("\"name\" : \"webui\"").doesNotContain("\"name\" : \"reducer\"");
    }

    @Test
    void planExportsSelfOrderingKubernetesManifests() {
        assertThat(cli.run("plan", "--format", "k8s", "--type", "base")).isEqualTo(0);
        assertThat(cli.out()).doesNotContain("kind: \"Namespace\"").contains("kind: \"StatefulSet\"", "kind: \"Job\"",
                "kind: \"Role\"", "name: \"wait-for-database\"", "name: \"wait-for-db-table-creator\"",
                "kubectl create secret generic clp-db-password");
        assertThat(cli.out()).doesNotContain("name: \"reducer\"");  // a Full-only node
    }

    @Test
    void failOnlyWorksWhereAFailureCanBeRehearsed() {
        assertThat(cli.run("up", "--backend", "docker", "--fail", "db-table-creator")).isEqualTo(2);
        assertThat(cli.err()).contains("add --stand-ins or use --backend simulated");
    }

    @Test
    void aFailedUpExitsWithOneAndSaysWhy() {
        assertThat(cli.run("up", "--type", "base", "--fail", "db-table-creator")).isEqualTo(1);
        assertThat(cli.out()).contains("up of 'clp' on simulated: FAILED",
                "job 'db-table-creator' exited with code 1", "ERROR: simulated failure of db-table-creator");
    }

    @Test
    void withoutACommandItPrintsUsageToItsOwnOutput() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.out()).contains("Usage: ordo", "plan", "demo");
    }

    @Test
    void printedLinesKeepTheirNonAsciiCharacters() {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintStream out = Printing.printer(new java.io.PrintWriter(text));
        out.println("mysqld: prêt ✓");
        out.print("état: démarré");
        out.flush();
        assertThat(text.toString()).isEqualTo("mysqld: prêt ✓" + System.lineSeparator() + "état: démarré");
    }

    @Test
    void badInputNamesTheFix() {
        assertThat(cli.run("plan", "--format", "svg")).isEqualTo(2);
        assertThat(cli.err()).contains("unknown plan format 'svg'; use one of");
        assertThat(cli.run("plan", "--target", "web-ui")).isEqualTo(2);
        assertThat(cli.err()).contains("did you mean 'webui'?");
    }

    @Test
    void failAndTargetNameTheOptionTheClosestNodeAndTheNodesAndTimeoutIsChecked() {
        CliSession cli = new CliSession();
        assertThat(cli.run("up", "--fail", "db-tables")).isEqualTo(2);
        assertThat(cli.err()).contains("--fail 'db-tables': deployment 'clp' has no node of that name; did you mean"
                + " 'db-table-creator'?").contains("nodes: database, results-cache");
        assertThat(cli.run("plan", "--target", "nosuch")).isEqualTo(2);
        assertThat(cli.err()).contains("--target 'nosuch'").contains("(nodes: database");
        assertThat(cli.run("up", "--timeout", "-5s")).isEqualTo(2);
        assertThat(cli.err()).contains("--timeout: '-5s' is not a duration");
        assertThat(cli.run("up", "--timeout", "0s")).isEqualTo(2);
        assertThat(cli.err()).contains("--timeout '0s' must be positive");
        // a timeout shorter than the database's start-up (20 s in virtual time) fails the run, naming it
        assertThat(cli.run("up", "--type", "base", "--timeout", "5s")).isEqualTo(1);
        assertThat(cli.out()).contains("database").contains("was not healthy within 5s");
    }

    @Test
    void durationsFollowComposesGrammar() {
        // what a compose file accepts the runner accepts: 1m30s was refused before
        assertThat(cli.run("up", "--type", "base", "--timeout", "1m30s")).as(cli.err()).isEqualTo(0);
        assertThat(cli.run("up", "--type", "base", "--timeout", "1h")).as(cli.err()).isEqualTo(0);
        assertThat(cli.run("down", "--grace-period", "0")).as(cli.err()).isEqualTo(0);
        assertThat(cli.run("down", "--grace-period", "1.5s")).as(cli.err()).isEqualTo(0);
        assertThat(cli.run("up", "--timeout", "1m30x")).isEqualTo(2);
        assertThat(cli.err()).contains("--timeout: '1m30x' is not a duration ('30x' after '1m' is not a number and a"
                + " unit); write e.g. 90s, 1m30s, 1h30m, 500ms");
        assertThat(cli.run("down", "--grace-period", "soon")).isEqualTo(2);
        assertThat(cli.err()).contains("--grace-period: 'soon' is not a duration");
    }
}
