package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secret files with an owner, a group and a mode, so that a service running as a non-root user can read its own. */
class DockerSecretsIT {
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("sec");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        docker.close();
    }

    @Test
    void aSecretFileCarriesTheOwnerGroupAndModeItWasGiven() {
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("db-password", "hunter2"))
                .job("inspect", j -> j.image(DockerTestSupport.IMAGE)
                        .secret(SecretRef.file("db-password").owner(999, 998).mode(0440))
                        .secret(SecretRef.file("db-password", "/etc/app/root-only"))
                        .shell("stat -c '%n %u:%g %a' /run/secrets/db-password /etc/app/root-only"))
                .build();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport r = Orchestrator.using(docker).listener(events::add).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.LOG).extracting(RunEvent::detail)
                .contains("/run/secrets/db-password 999:998 440", "/etc/app/root-only 0:0 400")
                .noneMatch(l -> l.contains("hunter2"));
    }

    private static byte[] run(List<String> cmd, java.util.Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, java.nio.charset.StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void secretValuesAreNotInTheContainersWritableLayerNorInItsExport() throws Exception {
        String value = "v4lue-" + java.util.UUID.randomUUID();
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("api-key", value))
                .job("app", j -> j.image(DockerTestSupport.IMAGE).secret("api-key")
                        .shell("wc -c < /run/secrets/api-key"))
                .build();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport r = Orchestrator.using(docker).listener(events::add).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        var container = DockerTestSupport.containers(name).get(0);
        // the job read its secret (its length printed) before it exited ...
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.LOG).extracting(RunEvent::detail)
                .contains(Integer.toString(value.length()));
        // ... which is neither in its writable layer on the host's disk ...
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        String upper = new String(run(List.of("docker", "-H", host, "inspect", "-f", "{{.GraphDriver.Data.UpperDir}}",
                container.getId()), java.util.Map.of()), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(java.nio.file.Path.of(upper)).as("the overlay2 upper directory").isDirectory();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(upper))) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile)).noneSatisfy(f ->
                    assertThat(contains(java.nio.file.Files.readAllBytes(f), value)).isTrue());
        }
        // ... nor in an export of the container's file system
        byte[] export = run(List.of("docker", "-H", host, "export", container.getId()), java.util.Map.of());
        assertThat(export.length).as("docker export wrote the file system").isGreaterThan(10_000);
        assertThat(contains(export, value)).isFalse();
    }

    @Test
    void noSecretValueInAnyLogLineWithEveryLoggerAtTrace() throws Exception {
        String value = "tr4ce-" + java.util.UUID.randomUUID();
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        byte[] out = run(List.of(javaBin, "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-cp",
                System.getProperty("java.class.path"), SecretsVictim.class.getName(), name),
                java.util.Map.of("ORDO_TEST_SECRET", value));
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).as("the victim ran").contains("VICTIM OK");
        assertThat(text).as("loggers were at TRACE").contains("TRACE").contains("DEBUG");
        assertThat(text).doesNotContain(value);
    }

    @Test
    void aSecretFileThatDoesNotExistIsTheNodesFaultNamingTheFileNotADeadEngine() {
        Deployment d = Deployment.builder(name)
                .secret(Secret.fromFile("db-password", java.nio.file.Path.of("/nonexistent/" + name + ".txt")))
                .service("db", s -> s.image(DockerTestSupport.IMAGE).shell(DockerTestSupport.IDLE)
                        .secret("db-password"))
                .build();
        RunReport r = Orchestrator.using(docker).up(d.plan());
        assertThat(r.succeeded()).isFalse();
        assertThat(r.render()).doesNotContain("does not answer");
        assertThat(r.node("db").failure().orElseThrow().message())
                .contains("secret 'db-password' is read from file '/nonexistent/" + name + ".txt'")
                .contains("create it or fix the path");
    }

    @Test
    void secretCopiesOfAContainerRemovedBehindOrdosBackGoAtTheNextUp() {
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("api-key", "k3y"))
                .service("app", s -> s.image(DockerTestSupport.IMAGE).shell(DockerTestSupport.IDLE).secret("api-key"))
                .build();
        RunReport first = Orchestrator.using(docker).up(d.plan());
        assertThat(first.succeeded()).as(first.render()).isTrue();
        java.nio.file.Path copies = java.nio.file.Path.of("/dev/shm/ordo-secrets", name, name + "-app-1");
        assertThat(copies).as("the secret kept in memory for the container").isDirectory();
        DockerTestSupport.docker("rm", "-f", name + "-app-1");
        Deployment other = d.toBuilder().service("app", s -> s.image(DockerTestSupport.IMAGE)
                .shell(DockerTestSupport.IDLE + " # changed")).build();
        RunReport second = Orchestrator.using(docker).up(other.plan());
        assertThat(second.succeeded()).as(second.render()).isTrue();
        assertThat(copies).as("swept: its container is gone and the new one has no secret").doesNotExist();
    }
}
