package dev.ordo;

import java.time.Duration;
import java.util.Objects;

/**
 * What a scheduled trigger does with the fires it missed while no one held its living deployment (the holding JVM
 * was down or redeployed), once a holder with the same {@code StateStore} starts again. Every missed fire is reported
 * as a {@code FIRE_MISSED} event with its due instant, whatever the policy; the policy says which of them still run.
 * Kubernetes bounds the same with {@code startingDeadlineSeconds}, Temporal with a catch-up window.
 *
 * <pre>{@code
 * .trigger("hourly", t -> t.target("load").cron("0 * * * *").catchUp(CatchUp.latest()))
 * .trigger("daily", t -> t.target("report").cron("0 2 * * *").catchUp(CatchUp.within(Duration.ofHours(6))))
 * }</pre>
 *
 * @param policy which missed fires run
 * @param window for {@link Policy#WITHIN}: how old a missed fire may be and still run
 */
public record CatchUp(Policy policy, Duration window) {
    /** Which missed fires run. */
    public enum Policy {
        /** None: each is reported and skipped. The default. */
        SKIP,
        /** The latest one runs, at once, with its own due instant's parameters; the others are skipped. */
        LATEST,
        /** Each one due within the window before now runs, oldest first, under the trigger's overlap policy. */
        WITHIN
    }

    public CatchUp {
        Objects.requireNonNull(policy, "policy == null");
        Objects.requireNonNull(window, "window == null");
        if (window.isNegative()) {
            throw new OrdoException("a catch-up window cannot be negative, got " + window + "; give a duration such"
                    + " as Duration.ofHours(6)");
        }
    }

    /** Missed fires are reported and skipped (the default). */
    public static CatchUp skip() {
        return new CatchUp(Policy.SKIP, Duration.ZERO);
    }

    /** The latest missed fire runs; the others are reported and skipped. */
    public static CatchUp latest() {
        return new CatchUp(Policy.LATEST, Duration.ZERO);
    }

    /** Each missed fire due within {@code window} before now runs, oldest first; older ones are skipped. */
    public static CatchUp within(Duration window) {
        return new CatchUp(Policy.WITHIN, Objects.requireNonNull(window, "window == null"));
    }
}
