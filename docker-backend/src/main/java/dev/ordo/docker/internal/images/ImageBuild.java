package dev.ordo.docker.internal.images;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.ordo.Build;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.docker.internal.engine.LineSplitter;
import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds a node's image from its {@link Build} through the engine's API, before its containers are created: the
 * context directory goes to the engine as a tar (docker-java honours its {@code .dockerignore}), with the build's
 * arguments, target and labels, tagged as the node's image, without pulling newer base images. Each line the build
 * prints becomes a line of the node's output, as a pull's progress does; a failed build is an error naming the node,
 * the context and the build's last lines.
 *
 * <pre>{@code
 * new ImageBuild(engine, "api", "api", "shop-api:dev").ensure(Build.context("services/api"), events);
 * }</pre>
 */
final class ImageBuild {
    /** How many of the build's last lines a failure quotes. */
    static final int LAST_LINES = 12;
    /** The longest a build may take. */
    static final Duration LIMIT = Duration.ofMinutes(30);

    private final EngineConnection engine;
    private final String key;
    private final String node;
    private final String image;

    ImageBuild(EngineConnection engine, String key, String node, String image) {
        this.engine = engine;
        this.key = key;
        this.node = node;
        this.image = image;
    }

    /** Builds the image, unless {@code build}'s policy is {@code IF_MISSING} and the engine has it. */
    void ensure(Build build, NodeEvents events) {
        if (build.policy() == Build.Policy.IF_MISSING && present()) {
            return;
        }
        Path context = Path.of(build.context()).toAbsolutePath().normalize();
        if (!Files.isDirectory(context)) {
            throw new OrdoException("node '" + node + "' is built from context '" + build.context() + "' (" + context
                    + "), which is not a directory; create it, or fix the node's .build(Build.context(...))");
        }
        Path dockerfile = context.resolve(build.dockerfile().isEmpty() ? "Dockerfile" : build.dockerfile())
                .normalize();
        if (!dockerfile.startsWith(context) || !Files.isRegularFile(dockerfile)) {
            throw new OrdoException("node '" + node + "' is built with Dockerfile '" + context.relativize(dockerfile)
                    + "', which is not a file in its build context " + context + "; put it there, or fix the"
                    + " build's .dockerfile(...)");
        }
        events.report(new Fact.Output(key, 0, "ordo: building image " + image + " from " + context));
        var cmd = engine.streams().buildImageCmd().withBaseDirectory(context.toFile()).withDockerfile(dockerfile.toFile())
                .withTags(Set.of(image)).withPull(false).withRemove(true);
        build.args().forEach(cmd::withBuildArg);
        if (!build.target().isEmpty()) {
            cmd.withTarget(build.target());
        }
        if (!build.labels().isEmpty()) {
            cmd.withLabels(build.labels());
        }
        Output output = new Output(events);
        try {
            cmd.exec(output);
            if (!output.awaitCompletion(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                output.close();
                throw failed(context, output, "it did not finish within " + LIMIT.toMinutes() + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("node '" + node + "': interrupted while building image '" + image + "'", e);
        } catch (IOException e) {
            throw failed(context, output, e.toString());
        } catch (RuntimeException e) {
            if (EngineErrors.unreachable(e) || e instanceof OrdoException) {
                throw e;
            }
            throw failed(context, output, EngineErrors.describe(e));
        }
        if (output.error != null) {
            throw failed(context, output, output.error);
        }
        events.report(new Fact.Output(key, 0, "ordo: built image " + image));
    }

    private boolean present() {
        try {
            engine.commands().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException absent) {
            return false;
        }
    }

    private OrdoException failed(Path context, Output output, String why) {
        return new OrdoException("node '" + node + "': building image '" + image + "' from context " + context
                + " failed: " + why + "; the build's last lines:\n  " + String.join("\n  ", output.last())
                + "\nfix the Dockerfile or the build context, or build the image yourself (docker build -t " + image
                + " " + context + ")");
    }

    /** The build's output: each line to the node's output, the last ones kept for a failure, the error noted. */
    private final class Output extends ResultCallback.Adapter<BuildResponseItem> {
        private final NodeEvents events;
        private final Deque<String> last = new ArrayDeque<>();
        private final LineSplitter lines;
        volatile String error;

        Output(NodeEvents events) {
            this.events = events;
            this.lines = new LineSplitter(this::line);
        }

        private void line(String line) {
            if (line.isBlank()) {
                return;
            }
            synchronized (last) {
                last.addLast(line);
                if (last.size() > LAST_LINES) {
                    last.removeFirst();
                }
            }
            events.report(new Fact.Output(key, 0, "ordo: build " + image + ": " + line));
        }

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.isErrorIndicated()) {
                String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                error = message == null ? "the engine reported an error" : message.trim();
                return;
            }
            if (item.getStream() != null) {
                lines.accept("build", item.getStream().getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void onError(Throwable t) {
            error = EngineErrors.describe(t);
            super.onError(t);
        }

        @Override
        public void onComplete() {
            lines.flush();
            super.onComplete();
        }

        List<String> last() {
            synchronized (last) {
                return last.isEmpty() ? List.of("(none)") : List.copyOf(last);
            }
        }
    }
}
