package dev.ordo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a node's image is built from a Dockerfile, as Compose's {@code build:} does. The Docker backend sends the
 * context directory to the Docker daemon as a tar, builds with the engine's cache, and tags the result with the
 * node's image, or {@code <deployment>-<node>} when the node has none; Kubernetes cannot build: it runs a node that
 * has an image (push it there first) and refuses one that is only built, naming the image to push.
 *
 * <pre>{@code
 * .service("api", s -> s.image("shop-api:dev")
 *     .build(Build.context("services/api").dockerfile("Dockerfile.dev").arg("VERSION", "1.4").target("runtime")))
 * }</pre>
 *
 * @param context    the build context directory (relative paths are relative to the working directory)
 * @param dockerfile the Dockerfile, relative to the context; empty: {@code Dockerfile}
 * @param args       build arguments ({@code --build-arg})
 * @param target     the stage to build; empty: the last
 * @param labels     labels put on the image
 * @param policy     when to build
 */
public record Build(String context, String dockerfile, Map<String, String> args, String target,
                    Map<String, String> labels, Policy policy) {

    /** When the image is built. */
    public enum Policy {
        /** When the engine lacks the image (Compose's default for {@code up}). */
        IF_MISSING,
        /** At every {@code up} that creates the node's containers; the engine's cache keeps it quick. */
        ALWAYS
    }

    public Build {
        Objects.requireNonNull(context, "context == null");
        Objects.requireNonNull(dockerfile, "dockerfile == null");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        Objects.requireNonNull(target, "target == null");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        Objects.requireNonNull(policy, "policy == null");
    }

    /** A build of the directory {@code context} with its {@code Dockerfile}, when the image is missing. */
    public static Build context(String context) {
        return new Build(context, "", Map.of(), "", Map.of(), Policy.IF_MISSING);
    }

    /** This build with Dockerfile {@code dockerfile} (relative to the context). */
    public Build dockerfile(String dockerfile) {
        return new Build(context, dockerfile, args, target, labels, policy);
    }

    /** This build with build argument {@code key}. */
    public Build arg(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(args);
        m.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return new Build(context, dockerfile, m, target, labels, policy);
    }

    /** This build, of stage {@code target}. */
    public Build target(String target) {
        return new Build(context, dockerfile, args, target, labels, policy);
    }

    /** This build, labelling the image with {@code key}. */
    public Build label(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(labels);
        m.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return new Build(context, dockerfile, args, target, m, policy);
    }

    /** This build, run as {@code policy} says. */
    public Build policy(Policy policy) {
        return new Build(context, dockerfile, args, target, labels, policy);
    }

    /** The tag a built node without an image gets, as Compose names it: {@code <deployment>-<node>}. */
    public static String defaultTag(String deployment, String node) {
        return (deployment + "-" + node).toLowerCase(Locale.ROOT);
    }
}
