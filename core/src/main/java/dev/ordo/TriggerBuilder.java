package dev.ordo;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Configures one {@link Trigger} inside {@link Deployment.Builder#trigger}. Every method returns this builder. A
 * trigger without {@link #cron} or {@link #every} is manual.
 *
 * <pre>{@code
 * .trigger("backup-addresses-delta", t -> t.target("backup").cron("0 6 * * *")
 *     .env("DATASET", "addresses").env("TYPE", "delta")
 *     .concurrencyKey("addresses"))
 * }</pre>
 */
public final class TriggerBuilder {
    private final String name;
    private String target = "";
    private Trigger.Kind kind = Trigger.Kind.MANUAL;
    private Optional<String> cron = Optional.empty();
    private ZoneId zone = ZoneOffset.UTC;
    private Optional<Duration> every = Optional.empty();
    private boolean atStart;
    private Overlap overlap = Overlap.SKIP;
    private Optional<String> concurrencyKey = Optional.empty();
    private final Map<String, Param> env = new LinkedHashMap<>();
    private final Map<String, Map<String, Param>> stepEnv = new LinkedHashMap<>();
    private int keep = Trigger.DEFAULT_KEEP;
    private CatchUp catchUp = CatchUp.skip();

    TriggerBuilder(String name) {
        this.name = name;
    }

    /** The on-demand job the run ends with; its on-demand dependencies run before it, as a pipeline. */
    public TriggerBuilder target(String job) {
        this.target = Objects.requireNonNull(job, "job == null");
        return this;
    }

    /** Fires on a five-field cron expression, read in UTC unless {@link #zone} says otherwise. */
    public TriggerBuilder cron(String expression) {
        this.cron = Optional.of(Objects.requireNonNull(expression, "expression == null"));
        this.every = Optional.empty();
        this.kind = Trigger.Kind.CRON;
        return this;
    }

    /** Reads the cron expression and computed parameters in {@code zone}. */
    public TriggerBuilder zone(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone == null");
        return this;
    }

    /** Fires every {@code interval}, the first time one interval after the living deployment starts. */
    public TriggerBuilder every(Duration interval) {
        this.every = Optional.of(Objects.requireNonNull(interval, "interval == null"));
        this.cron = Optional.empty();
        this.kind = Trigger.Kind.INTERVAL;
        return this;
    }

    /** Fires only when asked (the default). */
    public TriggerBuilder manual() {
        this.cron = Optional.empty();
        this.every = Optional.empty();
        this.kind = Trigger.Kind.MANUAL;
        return this;
    }

    /** Also fires once as the living deployment starts, e.g. an initial load. */
    public TriggerBuilder atStart() {
        this.atStart = true;
        return this;
    }

    /** What a fire does while an earlier run is going (default {@link Overlap#SKIP}). */
    public TriggerBuilder overlap(Overlap overlap) {
        this.overlap = Objects.requireNonNull(overlap, "overlap == null");
        return this;
    }

    /** Runs with the same key never overlap, whatever trigger started them (e.g. "one backup per table"). */
    public TriggerBuilder concurrencyKey(String key) {
        this.concurrencyKey = Optional.of(Objects.requireNonNull(key, "key == null"));
        return this;
    }

    /** Sets {@code key} to {@code value} in every step of the run. */
    public TriggerBuilder env(String key, String value) {
        return env(key, Param.constant(Objects.requireNonNull(value, "value == null")));
    }

    /** Sets {@code key} to a value computed at each fire, in every step of the run. */
    public TriggerBuilder env(String key, Param value) {
        env.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return this;
    }

    /** Sets {@code key} to {@code value} in step {@code step} only (over a value for every step). */
    public TriggerBuilder env(String step, String key, String value) {
        return env(step, key, Param.constant(Objects.requireNonNull(value, "value == null")));
    }

    /** Sets {@code key} to a value computed at each fire in step {@code step} only. */
    public TriggerBuilder env(String step, String key, Param value) {
        stepEnv.computeIfAbsent(Objects.requireNonNull(step, "step == null"), s -> new LinkedHashMap<>())
                .put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return this;
    }

    /** Keeps the reports of the last {@code runs} finished runs (default {@value Trigger#DEFAULT_KEEP}). */
    public TriggerBuilder keep(int runs) {
        this.keep = runs;
        return this;
    }

    /**
     * What this trigger does with the fires it missed while no one held the living deployment, when a holder with a
     * {@code StateStore} starts again (default {@link CatchUp#skip()}: each is reported and skipped).
     */
    public TriggerBuilder catchUp(CatchUp policy) {
        this.catchUp = Objects.requireNonNull(policy, "policy == null");
        return this;
    }

    Trigger build() {
        return new Trigger(name, target, kind, cron, zone, every, atStart, overlap, concurrencyKey, env, stepEnv, keep,
                catchUp);
    }
}
