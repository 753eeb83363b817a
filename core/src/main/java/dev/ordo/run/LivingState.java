package dev.ordo.run;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a living deployment keeps across the JVMs that hold it, in a {@link StateStore}: the due instant of each
 * scheduled trigger's last fire, recorded before that fire's run starts, so that a holder that starts again knows
 * which fires it missed (see {@link dev.ordo.CatchUp}).
 *
 * <pre>{@code
 * Optional<Instant> last = store.load("pipeline").flatMap(s -> s.lastFire("daily"));
 * }</pre>
 *
 * @param deployment the deployment's name
 * @param lastFires  by trigger name, the due instant of its last scheduled fire
 */
public record LivingState(String deployment, Map<String, Instant> lastFires) {
    public LivingState {
        Objects.requireNonNull(deployment, "deployment == null");
        lastFires = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(lastFires, "lastFires == null")));
    }

    /** The due instant of {@code trigger}'s last scheduled fire, if it fired. */
    public Optional<Instant> lastFire(String trigger) {
        return Optional.ofNullable(lastFires.get(trigger));
    }
}
