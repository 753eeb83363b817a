package dev.ordo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets a node's pods run on Kubernetes nodes with a matching taint. Only Kubernetes has taints: Docker and the
 * simulated backend keep tolerations as data and run the node as usual.
 *
 * <pre>{@code
 * .toleration(Toleration.equal("dedicated", "clp", Toleration.Effect.NO_SCHEDULE))
 * .toleration(Toleration.exists("node.kubernetes.io/unreachable", Toleration.Effect.NO_EXECUTE)
 *     .forAtMost(Duration.ofMinutes(5)))
 * }</pre>
 *
 * @param key      the taint key; empty with {@link Operator#EXISTS} tolerates every taint
 * @param operator whether the taint's value must equal {@code value} or the key only must exist
 * @param value    the taint value to match with {@link Operator#EQUAL}; empty with {@link Operator#EXISTS}
 * @param effect   the taint effect tolerated; {@link Effect#ANY} tolerates all
 * @param seconds  with {@link Effect#NO_EXECUTE}, how long the pod stays bound after the taint appears
 */
public record Toleration(String key, Operator operator, String value, Effect effect, Optional<Duration> seconds) {
    /** How a toleration matches a taint. */
    public enum Operator {
        /** The taint's key and value equal the toleration's. */
        EQUAL,
        /** The taint's key exists, whatever its value. */
        EXISTS
    }

    /** The taint effect a toleration tolerates, as Kubernetes spells it in {@link #kubernetes()}. */
    public enum Effect {
        /** Any effect. */
        ANY(""),
        /** Pods are not scheduled on the node. */
        NO_SCHEDULE("NoSchedule"),
        /** The scheduler avoids the node. */
        PREFER_NO_SCHEDULE("PreferNoSchedule"),
        /** Pods are evicted from the node. */
        NO_EXECUTE("NoExecute");

        private final String kubernetes;

        Effect(String kubernetes) {
            this.kubernetes = kubernetes;
        }

        /** The effect's name in a Kubernetes manifest; empty for {@link #ANY}. */
        public String kubernetes() {
            return kubernetes;
        }
    }

    public Toleration {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(operator, "operator == null");
        Objects.requireNonNull(value, "value == null");
        Objects.requireNonNull(effect, "effect == null");
        Objects.requireNonNull(seconds, "seconds == null");
    }

    /** Tolerates taints with this key and value and effect. */
    public static Toleration equal(String key, String value, Effect effect) {
        return new Toleration(key, Operator.EQUAL, value, effect, Optional.empty());
    }

    /** Tolerates taints with this key, whatever their value, and effect. */
    public static Toleration exists(String key, Effect effect) {
        return new Toleration(key, Operator.EXISTS, "", effect, Optional.empty());
    }

    /** This toleration, ending {@code duration} after a {@link Effect#NO_EXECUTE} taint appears. */
    public Toleration forAtMost(Duration duration) {
        return new Toleration(key, operator, value, effect, Optional.of(Objects.requireNonNull(duration, "duration == null")));
    }
}
