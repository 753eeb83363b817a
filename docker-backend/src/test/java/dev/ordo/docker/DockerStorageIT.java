package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.OrdoException;
import dev.ordo.Volume;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes and bind mounts on the real engine: an external volume used as it is, named in the error when missing and
 * kept by down with removeVolumes; a volume declared under a name of its own, created when missing and used as it is
 * when it exists; bind mounts relabelled for SELinux ({@code z}, {@code Z}: no-ops on a host without SELinux, but
 * passed to the engine) and with their propagation.
 */
class DockerStorageIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("dsto");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        for (String v : List.of(name + "-pgdata", name + "-legacy", name + "-cache")) {
            DockerTestSupport.quietly("volume", "rm", v);
        }
        docker.close();
    }

    private Orchestrator ordo() {
        return Orchestrator.using(docker).timeout(Duration.ofSeconds(60));
    }

    /** Writes {@code text} to {@code file} in volume {@code volume}, as a user's own container would. */
    private static void plant(String volume, String file, String text) {
        DockerTestSupport.docker("run", "--rm", "--network", "none", "-v", volume + ":/v", IMAGE, "sh", "-c",
                "echo " + text + " > /v/" + file);
    }

    @Test
    @Timeout(120)
    void externalAndSelfNamedVolumesAreUsedAsTheyAreAndOnlyWhatOrdoCreatedIsRemoved() {
        String pgdata = name + "-pgdata";
        String legacy = name + "-legacy";
        String cache = name + "-cache";
        Deployment d = Deployment.builder(name)
                .volume(Volume.external(pgdata))
                .volume(Volume.of("legacy").named(legacy))
                .volume(Volume.of("cache").named(cache))
                .service("db", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE).volume(pgdata, "/data")
                        .volume("legacy", "/legacy").volume("cache", "/cache"))
                .build();
        assertThatThrownBy(() -> ordo().up(d.plan())).isInstanceOf(OrdoException.class)
                .hasMessageContaining("volume '" + pgdata + "' is external")
                .hasMessageContaining("docker volume create " + pgdata);
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.volumeExists(cache)).as("nothing is created for a deployment refused at prepare").isFalse();

        DockerTestSupport.docker("volume", "create", pgdata);
        DockerTestSupport.docker("volume", "create", legacy);
        plant(pgdata, "marker", "from-outside");
        plant(legacy, "marker", "old-data");
        RunReport up = ordo().up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(docker.exec(d, "db", List.of("cat", "/data/marker", "/legacy/marker")).output())
                .containsExactly("from-outside", "old-data");
        assertThat(DockerTestSupport.client().inspectVolumeCmd(cache).exec().getLabels())
                .containsEntry(Labels.DEPLOYMENT, name);
        assertThat(DockerTestSupport.client().inspectVolumeCmd(legacy).exec().getLabels())
                .as("used as it is: no label of Ordo's added").isNullOrEmpty();

        assertThat(ordo().down(d, DownOptions.defaults().removeVolumes(true)).succeeded()).isTrue();
        assertThat(DockerTestSupport.volumeExists(pgdata)).as("external: never removed").isTrue();
        assertThat(DockerTestSupport.volumeExists(legacy)).as("not Ordo's: never removed").isTrue();
        assertThat(DockerTestSupport.volumeExists(cache)).as("Ordo created it for the deployment").isFalse();
    }

    @Test
    @Timeout(120)
    void bindMountsCarryTheirRelabellingAndPropagationToTheEngine(@TempDir Path dir) throws IOException {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path own = Files.createDirectories(dir.resolve("own"));
        Path plain = Files.createDirectories(dir.resolve("plain"));
        for (Path p : List.of(shared, own, plain)) {
            Files.writeString(p.resolve("f"), p.getFileName() + "\n");
        }
        Deployment d = Deployment.builder(name)
                .service("app", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE)
                        .mount(Mount.bind(shared.toString(), "/shared").relabel(Mount.Relabel.SHARED))
                        .mount(Mount.bind(own.toString(), "/own").asReadOnly().relabel(Mount.Relabel.PRIVATE)
                                .propagation(Mount.Propagation.PRIVATE))
                        .mount(Mount.bind(plain.toString(), "/plain").propagation(Mount.Propagation.PRIVATE))
                        .bind(dir.resolve("made/here").toString(), "/made"))
                .build();
        RunReport up = ordo().up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(docker.exec(d, "app", List.of("cat", "/shared/f", "/own/f", "/plain/f")).output())
                .containsExactly("shared", "own", "plain");

        InspectContainerResponse app = DockerTestSupport.inspect(name, "app");
        // binds go as -v binds, the only form that carries z and Z and creates a missing host directory
        assertThat(Arrays.stream(app.getHostConfig().getBinds()).map(Object::toString).toList())
                .containsExactlyInAnyOrder(shared + ":/shared:rw,z", own + ":/own:ro,Z,private",
                        plain + ":/plain:rw,private", dir.resolve("made/here") + ":/made:rw");
        assertThat(dir.resolve("made/here")).as("created as docker run -v and Compose create it").isDirectory();
        // docker-java's view of the mounts has no propagation: the CLI's has
        List<Map<String, Object>> mounts = new ObjectMapper().readValue(DockerTestSupport.docker("inspect", "-f",
                "{{json .Mounts}}", app.getId()), new TypeReference<>() { });
        Map<String, String> modes = mounts.stream().collect(Collectors.toMap(m -> (String) m.get("Destination"),
                m -> m.get("Mode") + "|" + m.get("Propagation")));
        assertThat(modes).containsEntry("/shared", "rw,z|rprivate").containsEntry("/own", "ro,Z,private|private")
                .containsEntry("/plain", "rw,private|private");
        assertThat(docker.exec(d, "app", List.of("touch", "/own/x")).exitCode()).as("read-only").isNotZero();
    }

    @Test
    @Timeout(120)
    void aBindMountOfARelativePathIsRefusedNamingTheNodeAndTheFix() {
        Deployment d = Deployment.builder(name)
                .service("app", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE)
                        .mount(Mount.bind("conf", "/etc/app").relabel(Mount.Relabel.PRIVATE)))
                .build();
        RunReport up = ordo().up(d.plan());
        assertThat(up.succeeded()).isFalse();
        assertThat(up.node("app").failure().orElseThrow().message())
                .contains("node 'app'", "'conf'", "absolute path");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }
}
