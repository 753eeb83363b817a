package dev.ordo.docker.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the engine a developer has, as the docker CLI does, on a made-up home directory. */
class EngineDiscoveryTest {
    @TempDir
    Path home;

    private void context(String name, String host) throws Exception {
        Path meta = home.resolve(".docker/contexts/meta").resolve(EngineDiscovery.sha256(name));
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Metadata\":{},"
                + "\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
    }

    private void currentContext(String name) throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{},\"currentContext\":\"" + name + "\"}");
    }

    @Test
    void dockerHostWinsOverEverything() throws Exception {
        currentContext("colima");
        context("colima", "unix:///nowhere/colima.sock");
        var found = EngineDiscovery.of(Map.of("DOCKER_HOST", "tcp://build:2375"), home).find();
        assertThat(found.host()).isEqualTo(URI.create("tcp://build:2375"));
        assertThat(found.how()).isEqualTo("DOCKER_HOST");
    }

    @Test
    void theCurrentContextOfTheCliConfigIsUsedAndDockerContextOverridesIt() throws Exception {
        currentContext("colima");
        context("colima", "unix:///home/dev/.colima/default/docker.sock");
        context("remote", "tcp://10.0.0.5:2376");
        assertThat(EngineDiscovery.of(Map.of(), home).find().host())
                .isEqualTo(URI.create("unix:///home/dev/.colima/default/docker.sock"));
        var found = EngineDiscovery.of(Map.of("DOCKER_CONTEXT", "remote"), home).find();
        assertThat(found.host()).isEqualTo(URI.create("tcp://10.0.0.5:2376"));
        assertThat(found.how()).isEqualTo("docker context 'remote'");
    }

    @Test
    void theDefaultContextMeansTheUsualSockets() throws Exception {
        currentContext("default");
        var d = EngineDiscovery.of(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), home);
        assertThat(d.candidates()).startsWith(Path.of("/var/run/docker.sock"), Path.of("/run/user/1000/docker.sock"))
                .contains(home.resolve(".docker/run/docker.sock"), home.resolve(".colima/default/docker.sock"),
                        home.resolve(".rd/docker.sock"));
    }

    @Test
    void aDesktopSocketIsFoundWhenTheSystemOneIsMissing() throws Exception {
        Path desktop = home.resolve(".docker/run/docker.sock");
        Files.createDirectories(desktop.getParent());
        Files.createFile(desktop);
        var d = EngineDiscovery.of(Map.of(), home);
        var found = d.find();
        if (Files.exists(Path.of("/var/run/docker.sock"))) {
            assertThat(found.host()).isEqualTo(URI.create("unix:///var/run/docker.sock")); // the system one first
        } else {
            assertThat(found.host()).isEqualTo(URI.create("unix://" + desktop));
        }
    }

    @Test
    void unusableSettingsAreErrorsNamingThemAndTheFix() throws Exception {
        assertThatThrownBy(() -> EngineDiscovery.of(Map.of("DOCKER_HOST", "build:2375"), home).find())
                .hasMessageContaining("DOCKER_HOST 'build:2375'").hasMessageContaining("tcp://host:port");
        currentContext("gone");
        assertThatThrownBy(() -> EngineDiscovery.of(Map.of(), home).find())
                .hasMessageContaining("docker context 'gone'").hasMessageContaining("docker context use default");
    }
}
