package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.spi.support.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Each service's {@code extends} resolved as compose-go resolves it: a base from the same file or another (read,
 * interpolated and with its paths relative to its own file), recursively, merged under the service with Compose's
 * rules ({@link ComposeMerge#extend}, which keeps the base's {@code depends_on}); a loop is an error naming it.
 *
 * <pre>{@code
 * new ExtendsResolver(reader).extend(tree, file, projectDir);
 * }</pre>
 */
final class ExtendsResolver {
    private final FileReader reader;
    private final Set<String> resolving = new LinkedHashSet<>();

    ExtendsResolver(FileReader reader) {
        this.reader = reader;
    }

    /**
     * Resolves the {@code extends} of {@code tree}'s services. A relative {@code extends.file} is read from
     * {@code dir}: the project directory for the project's own files (compose-go reads it through the project's
     * resource loader), the extended file's own directory for the files it extends in turn (compose-go resolves
     * {@code extends.file} among that file's relative paths).
     */
    void extend(ObjectNode tree, Path file, Path dir) {
        JsonNode services = tree.get("services");
        if (services == null || !services.isObject()) {
            return;
        }
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            ((ObjectNode) services).set(name, resolve((ObjectNode) services, name, file, dir));
        }
    }

    /** Service {@code name} of {@code services} (of {@code file}) with its {@code extends} resolved. */
    private ObjectNode resolve(ObjectNode services, String name, Path file, Path dir) {
        JsonNode svc = services.get(name);
        if (svc == null || svc.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!svc.isObject()) {
            throw new IllegalArgumentException(reader.parse(file).where("/services/" + name) + ": services." + name
                    + " must be a mapping of the service's settings");
        }
        JsonNode ext = svc.get("extends");
        if (ext == null) {
            return (ObjectNode) svc;
        }
        String key = file + "#" + name;
        if (!resolving.add(key)) {
            throw new IllegalArgumentException(reader.parse(file).where("/services/" + name + "/extends") + ": service '"
                    + name + "' extends itself through " + String.join(" -> ", resolving) + "; remove the loop");
        }
        try {
            String ref = ext.isTextual() ? ext.asText() : ext.path("service").asText("");
            if (ref.isEmpty()) {
                throw new IllegalArgumentException(reader.parse(file).where("/services/" + name + "/extends") + ": service '"
                        + name + "' extends nothing; write extends: {service: NAME} (and file: OTHER.yml)");
            }
            ObjectNode base;
            if (ext.isObject() && ext.hasNonNull("file")) {
                Path other = dir.resolve(ext.get("file").asText()).normalize();
                ObjectNode otherTree = reader.interpolated(other);
                RelativePaths.project(otherTree, other.getParent()); // the base's paths are its own file's
                FileReader.tagServices(otherTree, other);
                JsonNode otherServices = otherTree.path("services");
                if (!otherServices.has(ref)) {
                    throw new IllegalArgumentException(reader.parse(file).where("/services/" + name + "/extends") + ": service '"
                            + name + "' extends '" + ref + "' of " + other.getFileName() + ", which defines no such"
                            + " service" + Suggestions.didYouMean(ref, fieldNames(otherServices)));
                }
                base = resolve((ObjectNode) otherServices, ref, other, other.getParent());
            } else {
                if (!services.has(ref)) {
                    throw new IllegalArgumentException(reader.parse(file).where("/services/" + name + "/extends") + ": service '"
                            + name + "' extends '" + ref + "', which this file does not define"
                            + Suggestions.didYouMean(ref, fieldNames(services))
                            + "; define it, or name its file (extends: {service: " + ref + ", file: other.yml})");
                }
                base = resolve(services, ref, file, dir);
                services.set(ref, base);
            }
            ObjectNode own = ((ObjectNode) svc).deepCopy();
            own.remove("extends");
            base = base.deepCopy();
            base.remove(FileReader.FILE);
            return ComposeMerge.extend(base, own);
        } finally {
            resolving.remove(key);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

}
