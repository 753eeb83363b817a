package dev.ordo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configures one {@link Job} inside {@link Deployment.Builder#job}. Every method returns this builder.
 *
 * <pre>{@code
 * .job("db-table-creator", j -> j.image("clp-package:main")
 *     .command("python3", "-m", "clp_py_utils.create-db-tables")
 *     .dependsOn("database", Condition.HEALTHY))
 * }</pre>
 */
public final class JobBuilder extends NodeBuilder<JobBuilder> {
    private int backoffLimit;
    private Optional<Duration> activeDeadline = Optional.empty();
    private Optional<String> schedule = Optional.empty();
    private boolean onDemand;

    JobBuilder(String name) {
        super(name);
    }

    /** Sets how many times a failed run is retried before the job fails (Kubernetes' backoff limit). */
    public JobBuilder retries(int retries) {
        this.backoffLimit = retries;
        return this;
    }

    /** Sets how long the job may run in all before it is failed. */
    public JobBuilder activeDeadline(Duration deadline) {
        this.activeDeadline = Optional.of(Objects.requireNonNull(deadline, "deadline == null"));
        return this;
    }

    /**
     * Makes this job on demand: not part of start-up; a trigger ({@code Deployment.Builder#trigger}) runs it, with
     * the on-demand jobs it depends on as earlier steps of the same pipeline.
     */
    public JobBuilder onDemand() {
        this.onDemand = true;
        return this;
    }

    /**
     * Makes this an on-demand job with a cron trigger named after it, on a five-field cron expression (UTC), e.g.
     * {@code "0 2 * * *"}.
     */
    public JobBuilder schedule(String cron) {
        this.schedule = Optional.of(Objects.requireNonNull(cron, "cron == null"));
        return this;
    }

    Job build() {
        return new Job(f.name, f.container(), backoffLimit, activeDeadline, schedule, f.dependencies, f.profiles,
                f.pool, f.labels, onDemand);
    }

}
