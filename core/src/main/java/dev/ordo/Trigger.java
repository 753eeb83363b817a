package dev.ordo;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What starts a run of an on-demand job: a cron schedule, a fixed interval, or a person ({@link Kind#MANUAL}). A
 * run executes the target's on-demand dependency closure as a pipeline (each step when its conditions hold; the
 * services it needs must be up and ready), with environment values set for every step or for one step. Define
 * triggers with {@link Deployment.Builder#trigger}; a job's {@code .schedule(cron)} is shorthand for a cron trigger
 * named after the job.
 *
 * <pre>{@code
 * .trigger("daily", t -> t.target("loader").cron("0 2 * * *")
 *     .env("MODE", "daily").env("EVENT_DATE", Param.previousDay())
 *     .env("processing", "MODE", "incremental"))
 * }</pre>
 *
 * @param name           the trigger's name, a DNS-1123 label unique in its deployment
 * @param target         the on-demand job the run ends with
 * @param kind           what fires it
 * @param cron           the cron expression, for {@link Kind#CRON}
 * @param zone           the zone the cron expression and the computed parameters are read in
 * @param every          the interval, for {@link Kind#INTERVAL}
 * @param atStart        whether it also fires once when a living deployment starts
 * @param overlap        what a fire does while an earlier run is going
 * @param concurrencyKey runs with the same key never overlap, whatever trigger started them
 * @param env            environment values for every step of the run
 * @param stepEnv        environment values for one step, by step name
 * @param keep           how many reports of finished runs the living deployment keeps for this trigger
 * @param catchUp        what it does with the fires it missed while no one held the living deployment
 */
public record Trigger(String name, String target, Kind kind, Optional<String> cron, ZoneId zone,
                      Optional<Duration> every, boolean atStart, Overlap overlap, Optional<String> concurrencyKey,
                      Map<String, Param> env, Map<String, Map<String, Param>> stepEnv, int keep, CatchUp catchUp) {
    /** How many run reports a trigger keeps unless told. */
    public static final int DEFAULT_KEEP = 20;

    /** What fires a trigger. */
    public enum Kind {
        /** A cron schedule. */
        CRON,
        /** A fixed interval from when the living deployment started. */
        INTERVAL,
        /** Only {@code LiveDeployment.trigger(name)} (or the runner's {@code trigger}). */
        MANUAL
    }

    public Trigger {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(target, "target == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(cron, "cron == null");
        Objects.requireNonNull(zone, "zone == null");
        Objects.requireNonNull(every, "every == null");
        Objects.requireNonNull(overlap, "overlap == null");
        Objects.requireNonNull(concurrencyKey, "concurrencyKey == null");
        Objects.requireNonNull(catchUp, "catchUp == null");
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        Map<String, Map<String, Param>> steps = new LinkedHashMap<>();
        stepEnv.forEach((k, v) -> steps.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        stepEnv = Collections.unmodifiableMap(steps);
    }

    /** A trigger that skips the fires it missed ({@link CatchUp#skip()}), as before catch-up policies existed. */
    public Trigger(String name, String target, Kind kind, Optional<String> cron, ZoneId zone, Optional<Duration> every,
                   boolean atStart, Overlap overlap, Optional<String> concurrencyKey, Map<String, Param> env,
                   Map<String, Map<String, Param>> stepEnv, int keep) {
        this(name, target, kind, cron, zone, every, atStart, overlap, concurrencyKey, env, stepEnv, keep,
                CatchUp.skip());
    }

    /** The cron schedule of a valid cron trigger. */
    public Optional<CronSchedule> schedule() {
        return cron.map(c -> CronSchedule.parse(c, zone));
    }

    /** The environment values of step {@code step}: the trigger's for every step, then the step's own. */
    public Map<String, Param> envOf(String step) {
        Map<String, Param> m = new LinkedHashMap<>(env);
        m.putAll(stepEnv.getOrDefault(step, Map.of()));
        return m;
    }

    /**
     * A short description for reports: {@code cron '0 2 * * *' (Z)}, {@code every 6h}, {@code manual},
     * {@code at start, then every 6h}.
     */
    public String describe() {
        if (atStart) {
            return kind == Kind.MANUAL ? "at start (then manual)" : "at start, then " + describeKind();
        }
        return describeKind();
    }

    private String describeKind() {
        return switch (kind) {
            case CRON -> "cron '" + cron.orElse("") + "' (" + zone + ")";
            case INTERVAL -> "every " + every.map(d -> d.toString().substring(2).toLowerCase(Locale.ROOT))
                    .orElse("?");
            case MANUAL -> "manual";
        };
    }
}
