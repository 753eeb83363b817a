package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A node that runs to completion: {@link Condition#COMPLETED_SUCCESSFULLY} once it exits with code 0. An
 * {@link #onDemand() on-demand} job is not part of the start-up order: triggers run it (a cron schedule, an interval,
 * a person), as a step of a pipeline with the on-demand jobs it depends on; no start-up node may depend on it. A
 * {@link #schedule() cron schedule} makes a job on demand with a cron trigger named after it. Build it through
 * {@link Deployment.Builder#job}.
 *
 * <pre>{@code
 * .job("db-table-creator", j -> j.image("clp-package:main")
 *     .command("python3", "-m", "clp_py_utils.create-db-tables")
 *     .retries(2)
 *     .activeDeadline(Duration.ofMinutes(5))
 *     .dependsOn("database", Condition.HEALTHY))
 * }</pre>
 *
 * @param name           the node name
 * @param container      what runs
 * @param backoffLimit   how many times a failed run is retried before the job fails
 * @param activeDeadline how long the job may run in all, if limited
 * @param schedule       a five-field cron expression (UTC), when scheduled (shorthand for a cron trigger)
 * @param onDemand       whether only triggers run it (always so with a schedule), not the start-up order
 * @param dependencies   what must hold before it starts
 * @param profiles       the profiles that enable it; empty = always
 * @param pool           the pool it draws a slot from
 * @param labels         user labels
 */
public record Job(
        String name,
        Container container,
        int backoffLimit,
        Optional<Duration> activeDeadline,
        Optional<String> schedule,
        List<Dependency> dependencies,
        Set<String> profiles,
        Optional<String> pool,
        Map<String, String> labels,
        boolean onDemand) implements Node {

    /** A job that runs at start-up unless it has a {@code schedule}. */
    public Job(String name, Container container, int backoffLimit, Optional<Duration> activeDeadline,
               Optional<String> schedule, List<Dependency> dependencies, Set<String> profiles, Optional<String> pool,
               Map<String, String> labels) {
        this(name, container, backoffLimit, activeDeadline, schedule, dependencies, profiles, pool, labels,
                schedule.isPresent());
    }

    public Job {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(container, "container == null");
        Objects.requireNonNull(activeDeadline, "activeDeadline == null");
        Objects.requireNonNull(schedule, "schedule == null");
        onDemand = onDemand || schedule.isPresent();
        dependencies = List.copyOf(dependencies);
        profiles = Set.copyOf(profiles);
        Objects.requireNonNull(pool, "pool == null");
        labels = Map.copyOf(labels);
    }

    @Override
    public Kind kind() {
        return Kind.JOB;
    }

    @Override
    public int replicas() {
        return 1;
    }

    /**
     * Whether this job runs only when a trigger fires (a cron schedule, an interval, a person), not at start-up.
     */
    public boolean isOnDemand() {
        return onDemand;
    }

    /** Whether this job runs on a cron schedule instead of once at start-up. */
    public boolean isScheduled() {
        return schedule.isPresent();
    }
}
