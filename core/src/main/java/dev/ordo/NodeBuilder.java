package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ServiceBuilder} and {@link JobBuilder} configure alike: the container, its dependencies, profiles,
 * pool and labels. Every method returns the concrete builder, so service- and job-only settings chain after these.
 *
 * <pre>{@code
 * .job("migrate", j -> j.image("app:1").env("MODE", "up").dependsOn("db", Condition.HEALTHY).retries(2))
 * }</pre>
 *
 * @param <B> the concrete builder
 */
public abstract sealed class NodeBuilder<B extends NodeBuilder<B>> permits ServiceBuilder, JobBuilder {
    /** The fields both kinds of node share, read by the concrete builder's {@code build()}. */
    final ContainerFields f;

    NodeBuilder(String name) {
        this.f = new ContainerFields(name);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Sets the image reference, e.g. {@code mysql:8.0.23}. */
    public final B image(String image) {
        f.image = Objects.requireNonNull(image, "image == null");
        return self();
    }

    /**
     * Builds the node's image from a Dockerfile, e.g. {@code Build.context("services/api")}; the image built is
     * tagged with {@link #image(String)}, or {@code <deployment>-<node>} when none is given.
     */
    public final B build(Build build) {
        f.build = Optional.of(Objects.requireNonNull(build, "build == null"));
        return self();
    }

    /** Joins the deployment's networks {@code networks} instead of its default one ({@link Network}). */
    public final B networks(String... networks) {
        f.networks.addAll(ContainerFields.argv("networks", networks));
        return self();
    }

    /** Adds names the node is reached by on its networks, besides its own. */
    public final B alias(String... aliases) {
        f.aliases.addAll(ContainerFields.argv("aliases", aliases));
        return self();
    }

    /** Sets the argv that replaces the image's command; never passed to a shell. */
    public final B command(String... argv) {
        f.command = ContainerFields.argv("command", argv);
        return self();
    }

    /** Sets runs {@code script} with {@code sh -c}; use it only when you need a shell. */
    public final B shell(String script) {
        f.command = List.of("sh", "-c", Objects.requireNonNull(script, "script == null"));
        return self();
    }

    /** Sets the argv that replaces the image's entrypoint. */
    public final B entrypoint(String... argv) {
        f.entrypoint = ContainerFields.argv("entrypoint", argv);
        return self();
    }

    /** Sets one environment variable. */
    public final B env(String key, String value) {
        f.env(key, value);
        return self();
    }

    /** Sets several environment variables, in the map's order. */
    public final B environment(Map<String, String> variables) {
        Objects.requireNonNull(variables, "variables == null").forEach(f::env);
        return self();
    }

    /** Sets a TCP port other nodes reach by node name. */
    public final B port(int containerPort) {
        f.ports.add(Port.of(containerPort));
        return self();
    }

    /** Sets a TCP port published on the host. */
    public final B port(int hostPort, int containerPort) {
        f.ports.add(Port.published(hostPort, containerPort));
        return self();
    }

    /** Sets a port with its protocol, e.g. {@code new Port(53, 0, "udp")}. */
    public final B port(Port port) {
        f.ports.add(Objects.requireNonNull(port, "port == null"));
        return self();
    }

    /** Sets a named volume of the deployment, declared by this use. */
    public final B volume(String volume, String target) {
        f.mounts.add(Mount.volume(Objects.requireNonNull(volume, "volume == null"), Objects.requireNonNull(target, "target == null")));
        return self();
    }

    /** Sets a host directory. */
    public final B bind(String hostPath, String target) {
        f.mounts.add(Mount.bind(Objects.requireNonNull(hostPath, "hostPath == null"), Objects.requireNonNull(target, "target == null")));
        return self();
    }

    /** Sets a memory-backed scratch directory. */
    public final B tmpfs(String target) {
        f.mounts.add(Mount.tmpfs(Objects.requireNonNull(target, "target == null")));
        return self();
    }

    /** Sets any mount. */
    public final B mount(Mount mount) {
        f.mounts.add(Objects.requireNonNull(mount, "mount == null"));
        return self();
    }

    /**
     * Sets the health check that decides {@link Condition#HEALTHY} for a service. On a job the backends run it while
     * the job runs, but a job is never {@code HEALTHY}: others wait for it with {@code COMPLETED_SUCCESSFULLY} or
     * {@code STARTED}.
     */
    public final B healthCheck(HealthCheck check) {
        f.healthCheck = Optional.of(Objects.requireNonNull(check, "check == null"));
        return self();
    }

    /**
     * Sets the liveness check of a service: once a replica has passed it, {@code retries} failures in a row (at the
     * check's interval) make the platform kill and restart that replica, counted as a restart. Its start period is
     * Kubernetes' initial delay. Log-line checks cannot be liveness checks.
     */
    public final B liveness(HealthCheck check) {
        f.liveness = Optional.of(Objects.requireNonNull(check, "check == null"));
        return self();
    }

    /** Sets CPU and memory requests and limits, e.g. {@code Resources.none().memory("256Mi", "1Gi")}. */
    public final B resources(Resources resources) {
        f.resources = Objects.requireNonNull(resources, "resources == null");
        return self();
    }

    /** Sets who the process runs as, e.g. {@code Security.none().user(1000).nonRoot().readOnlyRoot()}. */
    public final B security(Security security) {
        f.security = Objects.requireNonNull(security, "security == null");
        return self();
    }

    /** Sets a label a Kubernetes node must carry for this node's pods to run there. */
    public final B nodeSelector(String label, String value) {
        f.nodeSelector.put(Objects.requireNonNull(label, "label == null"), Objects.requireNonNull(value, "value == null"));
        return self();
    }

    /** Sets a Kubernetes taint this node's pods tolerate. */
    public final B toleration(Toleration toleration) {
        f.tolerations.add(Objects.requireNonNull(toleration, "toleration == null"));
        return self();
    }

    /** Sets a deployment secret as a read-only file at {@code /run/secrets/<secret>}. */
    public final B secret(String secret) {
        f.secrets.add(SecretRef.file(Objects.requireNonNull(secret, "secret == null")));
        return self();
    }

    /** Sets a deployment secret as a read-only file at {@code path}. */
    public final B secret(String secret, String path) {
        f.secrets.add(SecretRef.file(Objects.requireNonNull(secret, "secret == null"), Objects.requireNonNull(path, "path == null")));
        return self();
    }

    /**
     * Uses a secret as {@code use} says: a file with its path, owner, group and mode, e.g.
     * {@code .secret(SecretRef.file("db-password").owner(999, 999).mode(0440))}.
     */
    public final B secret(SecretRef use) {
        f.secrets.add(Objects.requireNonNull(use, "use == null"));
        return self();
    }

    /** Sets a deployment secret as an environment variable: an explicit opt-in, since {@code docker inspect} shows it. */
    public final B secretAsEnv(String secret, String variable) {
        f.secrets.add(SecretRef.environment(Objects.requireNonNull(secret, "secret == null"), Objects.requireNonNull(variable, "variable == null")));
        return self();
    }

    /** Sets how long a stop waits after SIGTERM before SIGKILL. */
    public final B stopGracePeriod(Duration period) {
        f.stopGracePeriod = Objects.requireNonNull(period, "period == null");
        return self();
    }

    /**
     * Sets the signal that asks the process to stop, e.g. {@code SIGINT} for PostgreSQL's fast shutdown or
     * {@code SIGQUIT} for nginx (Compose's {@code stop_signal}); without one, the image's {@code STOPSIGNAL}, else
     * SIGTERM. SIGKILL follows after the stop grace period.
     */
    public final B stopSignal(String signal) {
        f.stopSignal = Objects.requireNonNull(signal, "signal == null");
        return self();
    }

    /** Sets the working directory. */
    public final B workingDir(String directory) {
        f.workingDir = Objects.requireNonNull(directory, "directory == null");
        return self();
    }

    /** Sets a required dependency. */
    public final B dependsOn(String target, Condition condition) {
        f.dependsOn(Dependency.on(target, condition));
        return self();
    }

    /** Sets a required dependency on {@code target} being {@link Condition#STARTED}. */
    public final B dependsOn(String target) {
        f.dependsOn(Dependency.on(target, Condition.STARTED));
        return self();
    }

    /** Sets a dependency with options, e.g. {@code Dependency.on("x", HEALTHY).required(false)}. */
    public final B dependsOn(Dependency dependency) {
        f.dependsOn(dependency);
        return self();
    }

    /** Sets the profiles that enable this node; a node without profiles is always enabled. */
    public final B profiles(String... profiles) {
        f.profiles.addAll(ContainerFields.argv("profiles", profiles));
        return self();
    }

    /** Sets the pool this node draws a slot from. */
    public final B pool(String pool) {
        f.pool = Optional.of(Objects.requireNonNull(pool, "pool == null"));
        return self();
    }

    /** Sets a user label put on every resource of this node. */
    public final B label(String key, String value) {
        f.labels.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return self();
    }
}
