package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
public final class JobBuilder {
    private final ContainerFields f;
    private int backoffLimit;
    private Optional<Duration> activeDeadline = Optional.empty();
    private Optional<String> schedule = Optional.empty();
    private boolean onDemand;

    JobBuilder(String name) {
        this.f = new ContainerFields(name);
    }

    /** Sets the image reference, e.g. {@code mysql:8.0.23}. */
    public JobBuilder image(String image) {
        f.image = Objects.requireNonNull(image, "image == null");
        return this;
    }

    /** Sets the argv that replaces the image's command; never passed to a shell. */
    public JobBuilder command(String... argv) {
        f.command = ContainerFields.argv("command", argv);
        return this;
    }

    /** Sets runs {@code script} with {@code sh -c}; use it only when you need a shell. */
    public JobBuilder shell(String script) {
        f.command = List.of("sh", "-c", Objects.requireNonNull(script, "script == null"));
        return this;
    }

    /** Sets the argv that replaces the image's entrypoint. */
    public JobBuilder entrypoint(String... argv) {
        f.entrypoint = ContainerFields.argv("entrypoint", argv);
        return this;
    }

    /** Sets one environment variable. */
    public JobBuilder env(String key, String value) {
        f.env(key, value);
        return this;
    }

    /** Sets several environment variables, in the map's order. */
    public JobBuilder environment(Map<String, String> variables) {
        Objects.requireNonNull(variables, "variables == null").forEach(f::env);
        return this;
    }

    /** Sets a TCP port other nodes reach by node name. */
    public JobBuilder port(int containerPort) {
        f.ports.add(Port.of(containerPort));
        return this;
    }

    /** Sets a TCP port published on the host. */
    public JobBuilder port(int hostPort, int containerPort) {
        f.ports.add(Port.published(hostPort, containerPort));
        return this;
    }

    /** Sets a named volume of the deployment, declared by this use. */
    public JobBuilder volume(String volume, String target) {
        f.mounts.add(Mount.volume(Objects.requireNonNull(volume, "volume == null"), Objects.requireNonNull(target, "target == null")));
        return this;
    }

    /** Sets a host directory. */
    public JobBuilder bind(String hostPath, String target) {
        f.mounts.add(Mount.bind(Objects.requireNonNull(hostPath, "hostPath == null"), Objects.requireNonNull(target, "target == null")));
        return this;
    }

    /** Sets a memory-backed scratch directory. */
    public JobBuilder tmpfs(String target) {
        f.mounts.add(Mount.tmpfs(Objects.requireNonNull(target, "target == null")));
        return this;
    }

    /** Sets any mount. */
    public JobBuilder mount(Mount mount) {
        f.mounts.add(Objects.requireNonNull(mount, "mount == null"));
        return this;
    }

    /**
     * Sets a health check the backends run while the job runs (e.g. a probe on Kubernetes). A job is never
     * {@link Condition#HEALTHY}: others wait for it with {@code COMPLETED_SUCCESSFULLY} or {@code STARTED}.
     */
    public JobBuilder healthCheck(HealthCheck check) {
        f.healthCheck = Optional.of(Objects.requireNonNull(check, "check == null"));
        return this;
    }

    /** Sets a deployment secret as a read-only file at {@code /run/secrets/<secret>}. */
    public JobBuilder secret(String secret) {
        f.secrets.add(SecretRef.file(Objects.requireNonNull(secret, "secret == null")));
        return this;
    }

    /** Sets a deployment secret as a read-only file at {@code path}. */
    public JobBuilder secret(String secret, String path) {
        f.secrets.add(SecretRef.file(Objects.requireNonNull(secret, "secret == null"), Objects.requireNonNull(path, "path == null")));
        return this;
    }

    /** Sets a deployment secret as an environment variable: an explicit opt-in, since {@code docker inspect} shows it. */
    public JobBuilder secretAsEnv(String secret, String variable) {
        f.secrets.add(SecretRef.environment(Objects.requireNonNull(secret, "secret == null"), Objects.requireNonNull(variable, "variable == null")));
        return this;
    }

    /** Sets how long a stop waits after SIGTERM before SIGKILL. */
    public JobBuilder stopGracePeriod(Duration period) {
        f.stopGracePeriod = Objects.requireNonNull(period, "period == null");
        return this;
    }

    /** Sets the working directory. */
    public JobBuilder workingDir(String directory) {
        f.workingDir = Objects.requireNonNull(directory, "directory == null");
        return this;
    }

    /** Sets a required dependency. */
    public JobBuilder dependsOn(String target, Condition condition) {
        f.dependsOn(Dependency.on(target, condition));
        return this;
    }

    /** Sets a required dependency on {@code target} being {@link Condition#STARTED}. */
    public JobBuilder dependsOn(String target) {
        f.dependsOn(Dependency.on(target, Condition.STARTED));
        return this;
    }

    /** Sets a dependency with options, e.g. {@code Dependency.on("x", HEALTHY).required(false)}. */
    public JobBuilder dependsOn(Dependency dependency) {
        f.dependsOn(dependency);
        return this;
    }

    /** Sets the profiles that enable this node; a node without profiles is always enabled. */
    public JobBuilder profiles(String... profiles) {
        f.profiles.addAll(ContainerFields.argv("profiles", profiles));
        return this;
    }

    /** Sets the pool this node draws a slot from. */
    public JobBuilder pool(String pool) {
        f.pool = Optional.of(Objects.requireNonNull(pool, "pool == null"));
        return this;
    }

    /** Sets a user label put on every resource of this node. */
    public JobBuilder label(String key, String value) {
        f.labels.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return this;
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
