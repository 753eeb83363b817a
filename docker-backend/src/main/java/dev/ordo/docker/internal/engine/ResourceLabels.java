package dev.ordo.docker.internal.engine;

import dev.ordo.spi.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ordo's labels on what it creates on an engine (containers, networks, volumes): each is stamped with the session a
 * reaper watches, when one does, so that the reaper finds it after a crash; and read back null-safely, since the
 * engine sends no map for a resource without labels.
 *
 * <pre>{@code
 * ResourceLabels stamp = new ResourceLabels(Optional.of(session));
 * Map<String, String> labels = stamp.on(Map.of(Labels.DEPLOYMENT, "shop"));
 * String deployment = ResourceLabels.read(network.getLabels()).get(Labels.DEPLOYMENT);
 * }</pre>
 *
 * @param session the session a reaper watches, if one does
 */
public record ResourceLabels(Optional<String> session) {
    /** Labels without a session: no reaper watches. */
    public static final ResourceLabels UNWATCHED = new ResourceLabels(Optional.empty());

    /** {@code base}, plus the session label when a reaper watches; in {@code base}'s order. */
    public Map<String, String> on(Map<String, String> base) {
        if (session.isEmpty()) {
            return base;
        }
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(Labels.SESSION, session.get());
        return m;
    }

    /** A resource's labels as the engine reported them: empty when it reported none. */
    public static Map<String, String> read(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }
}
