package dev.ordo.docker.internal.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.engine.EngineErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Builds the stand-in image, {@value #REFERENCE}, by importing a tarball that holds only a static busybox and its
 * applet links. It needs no registry and no Dockerfile build, which is why rehearsals and the tests work on a
 * machine that cannot pull anything. Its variant {@value #WITH_HEALTH_CHECK} adds a {@code HEALTHCHECK} that passes
 * once the stand-in is ready (its script creates {@value #READY_FILE}): the stand-in of a node that uses its image's
 * own health check ({@code HealthCheck.fromImage()}) runs it, so that a rehearsal reads and probes an image's check.
 *
 * <pre>{@code
 * runtime.ensureStandInImage();   // idempotent
 * }</pre>
 */
public final class StandInImage {
    /** The image reference the stand-ins run. */
    public static final String REFERENCE = "ordo-stand-in:busybox";
    /** The stand-in image with a {@code HEALTHCHECK} that tests {@link #READY_FILE}. */
    public static final String WITH_HEALTH_CHECK = "ordo-stand-in:busybox-healthcheck";
    /** The file a stand-in's script creates once it is ready. */
    public static final String READY_FILE = "/tmp/ordo-ready";

    /** The applets the stand-in scripts, the probes and the tests use; each becomes /bin/NAME -> busybox. */
    static final List<String> APPLETS = List.of("sh", "ash", "sleep", "nc", "httpd", "wget", "cat", "touch", "test",
            "[", "echo", "ls", "mkdir", "rm", "env", "date", "stat", "true", "false", "printf", "grep", "head",
            "tail", "kill", "ps", "sed", "id", "hostname", "dirname", "cp", "mv", "chmod", "timeout", "seq",
            "yes", "wc", "tr", "uptime", "pwd", "ln");

    private StandInImage() {
    }

    /** Imports the image, and builds its variant with a health check, unless the engine already has them. */
    public static synchronized void ensure(DockerClient client, DockerHttpClient http) {
        if (!present(client, REFERENCE)) {
            importImage(http);
        }
        if (!present(client, WITH_HEALTH_CHECK)) {
            byte[] context = new Tar().file("Dockerfile", 0644, ("FROM " + REFERENCE + "\nHEALTHCHECK --interval=5s"
                    + " --timeout=5s CMD test -e " + READY_FILE + "\n").getBytes(StandardCharsets.US_ASCII)).finish();
            try {
                // FROM and HEALTHCHECK only: no container runs, no network or registry is needed
                client.buildImageCmd(new ByteArrayInputStream(context)).withTags(Set.of(WITH_HEALTH_CHECK))
                        .withPull(false).exec(new BuildImageResultCallback())
                        .awaitImageId();
            } catch (RuntimeException e) {
                if (EngineErrors.unreachable(e)) {
                    throw e; // the caller names the engine and how to start it
                }
                throw new OrdoException("the Docker engine refused to build the stand-in image " + WITH_HEALTH_CHECK
                        + " from " + REFERENCE + " (" + EngineErrors.describe(e) + "); check the engine's log", e);
            }
        }
    }

    private static boolean present(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException absent) {
            return false;
        }
    }

    private static void importImage(DockerHttpClient http) {
        byte[] rootfs = rootfs(busybox());
        String[] ref = REFERENCE.split(":");
        // docker-java's createImageCmd JSON-encodes the stream (docker-java issue 2377), so the import goes
        // through the raw transport.
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/images/create?fromSrc=-&repo=" + ref[0] + "&tag=" + ref[1])
                .putHeader("Content-Type", "application/x-tar")
                .body(new ByteArrayInputStream(rootfs))
                .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() != 200 || body.contains("\"error")) {
                throw new OrdoException("the Docker engine refused to import the stand-in image " + REFERENCE
                        + " (HTTP " + response.getStatusCode() + ": " + body.trim() + "); check the engine's log");
            }
        } catch (IOException e) {
            throw new OrdoException("importing the stand-in image " + REFERENCE + " failed: " + e
                    + "; check that the Docker engine answers", e);
        }
    }

    static byte[] rootfs(byte[] busybox) {
        Tar tar = new Tar()
                .directory("bin", 0755)
                .directory("etc", 0755)
                .directory("tmp", 01777)
                .directory("run", 0755)
                .directory("root", 0700)
                .directory("www", 0755)
                .file("bin/busybox", 0755, busybox)
                .file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n"
                        .getBytes(StandardCharsets.US_ASCII))
                .file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.US_ASCII))
                .file("www/index.html", 0644, "ok\n".getBytes(StandardCharsets.US_ASCII));
        for (String applet : APPLETS) {
            tar.symlink("bin/" + applet, "busybox");
        }
        return tar.finish();
    }

    /** The static busybox binary: $ORDO_BUSYBOX, else Debian's busybox-static at /bin/busybox. */
    static byte[] busybox() {
        String configured = System.getenv("ORDO_BUSYBOX");
        List<Path> candidates = configured != null && !configured.isBlank()
                ? List.of(Path.of(configured))
                : List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                try {
                    byte[] bytes = Files.readAllBytes(p);
                    if (isStatic(bytes)) {
                        return bytes;
                    }
                    throw new OrdoException("the stand-in image needs a statically linked busybox, but " + p
                            + " is dynamically linked (it could not run in an image of its own); install Debian's "
                            + "busybox-static (apt-get install busybox-static) or set ORDO_BUSYBOX to a static one");
                } catch (IOException e) {
                    throw new OrdoException("cannot read " + p + " to build the stand-in image (" + e.getMessage()
                            + "); fix its permissions or set ORDO_BUSYBOX to a readable static busybox", e);
                }
            }
        }
        throw new OrdoException("the stand-in image needs a static busybox and found none at " + candidates
                + "; run scripts/ensure-docker.sh or apt-get install busybox-static, or set ORDO_BUSYBOX");
    }

    /** Whether an ELF binary has no program interpreter (PT_INTERP), i.e. runs without a dynamic loader. */
    static boolean isStatic(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) {
            return false; // not a 64-bit ELF: don't guess
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(elf[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 > elf.length) {
                return false;
            }
            if (b.getInt((int) at) == 3) { // PT_INTERP
                return false;
            }
        }
        return true;
    }
}
