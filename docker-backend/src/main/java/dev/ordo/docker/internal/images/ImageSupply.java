package dev.ordo.docker.internal.images;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.Build;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.util.Optional;

/**
 * Puts a node's image on the engine before its containers are made: builds it when the node has a build (as its
 * policy says), else pulls it unless the engine has it (with the registry credentials of the Docker CLI when it has
 * some); the build's or pull's progress becomes the node's output. Also reads what a node takes from its image: the
 * image's own health check.
 *
 * <pre>{@code
 * ImageSupply images = new ImageSupply(engine);
 * images.ensure("api", "api", "shop-api:dev", node.container().build(), events);
 * }</pre>
 */
public final class ImageSupply {
    /** The longest a pull may take. */
    static final Duration PULL_LIMIT = Duration.ofMinutes(30);

    private final EngineConnection engine;

    public ImageSupply(EngineConnection engine) {
        this.engine = engine;
    }

    /** Whether the engine has {@code image} (an image reference it rejects counts as absent). */
    public boolean present(String image) {
        try {
            engine.commands().inspectImageCmd(image).exec();
            return true;
        } catch (DockerException e) {
            return false;
        }
    }

    /**
     * Builds {@code image} for node {@code node} (reporting as {@code key}) when {@code build} is given, else pulls it
     * unless the engine has it.
     *
     * @throws OrdoException naming the node, the image and the fix; an engine that does not answer surfaces as the
     *                       docker-java error, for the caller to classify
     */
    public void ensure(String key, String node, String image, Optional<Build> build, NodeEvents events) {
        if (build.isPresent()) {
            new ImageBuild(engine, key, node, image).ensure(build.get(), events);
            return;
        }
        try {
            engine.commands().inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException absent) {
            // pulled below
        } catch (DockerException e) {
            throw new OrdoException("node '" + node + "': the Docker engine rejects image reference '" + image
                    + "' (" + EngineErrors.describe(e) + "); fix the node's .image(...)", e);
        }
        String ref = image;
        int slash = ref.lastIndexOf('/');
        if (!ref.contains("@") && ref.indexOf(':', slash + 1) < 0) {
            ref = ref + ":latest"; // without a tag the engine would pull every tag of the repository
        }
        try {
            events.report(new Fact.Output(key, 0, "ordo: pulling image " + ref));
            PullProgress progress = new PullProgress(key, ref, events);
            if (!AuthenticatedPull.pull(engine.streamsHttp(), ref, progress)) {
                engine.streams().pullImageCmd(ref).exec(progress);
            }
            progress.await(PULL_LIMIT);
            events.report(new Fact.Output(key, 0, "ordo: pulled image " + ref));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("node '" + node + "': interrupted while pulling image '" + image + "'");
        } catch (RuntimeException e) {
            if (EngineErrors.unreachable(e)) {
                throw e;
            }
            throw new OrdoException("node '" + node + "': image '" + image + "' is not on the Docker engine and "
                    + "pulling it failed (" + EngineErrors.describe(e) + "); build or load it locally "
                    + "(docker build / docker load), fix the image reference, or rehearse with stand-ins", e);
        }
    }

    /** {@code check} as node {@code node} probes it: an image-defined one becomes {@code image}'s own test. */
    public HealthCheck healthCheck(String node, String image, HealthCheck check) {
        return ImageHealthCheck.resolve(engine.commands(), node, image, check);
    }
}
