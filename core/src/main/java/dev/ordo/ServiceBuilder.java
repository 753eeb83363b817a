package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Configures one {@link Service} inside {@link Deployment.Builder#service}. Every method returns this builder.
 *
 * <pre>{@code
 * .service("webui", s -> s.image("clp-package:main")
 *     .port(4000)
 *     .healthCheck(HealthCheck.http(4000, "/"))
 *     .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
 * }</pre>
 */
public final class ServiceBuilder {
    private final ContainerFields f;
    private int replicas = 1;
    private RestartPolicy restartPolicy = RestartPolicy.NO;

    ServiceBuilder(String name) {
        this.f = new ContainerFields(name);
    }

    /** Sets the image reference, e.g. {@code mysql:8.0.23}. */
    public ServiceBuilder image(String image) {
        f.image = Objects.requireNonNull(image, "image == null");
        return this;
    }

    /** Sets the argv that replaces the image's command; never passed to a shell. */
    public ServiceBuilder command(String... argv) {
        f.command = ContainerFields.argv("command", argv);
        return this;
    }

    /** Sets runs {@code script} with {@code sh -c}; use it only when you need a shell. */
    public ServiceBuilder shell(String script) {
        f.command = List.of("sh", "-c", Objects.requireNonNull(script, "script == null"));
        return this;
    }

    /** Sets the argv that replaces the image's entrypoint. */
    public ServiceBuilder entrypoint(String... argv) {
        f.entrypoint = ContainerFields.argv("entrypoint", argv);
        return this;
    }

    /** Sets one environment variable. */
    public ServiceBuilder env(String key, String value) {
        f.env(key, value);
        return this;
    }

    /** Sets several environment variables, in the map's order. */
    public ServiceBuilder environment(Map<String, String> variables) {
        Objects.requireNonNull(variables, "variables == null").forEach(f::env);
        return this;
    }

    /** Sets a TCP port other nodes reach by node name. */
    public ServiceBuilder port(int containerPort) {
        f.ports.add(Port.of(containerPort));
        return this;
    }

    /** Sets a TCP port published on the host. */
    public ServiceBuilder port(int hostPort, int containerPort) {
        f.ports.add(Port.published(hostPort, containerPort));
        return this;
    }

    /** Sets a named volume of the deployment, declared by this use. */
    public ServiceBuilder volume(String volume, String target) {
        f.mounts.add(Mount.volume(Objects.requireNonNull(volume, "volume == null"), Objects.requireNonNull(target, "target == null")));
        return this;
    }

    /** Sets a host directory. */
    public ServiceBuilder bind(String hostPath, String target) {
        f.mounts.add(Mount.bind(Objects.requireNonNull(hostPath, "hostPath == null"), Objects.requireNonNull(target, "target == null")));
        return this;
    }

    /** Sets a memory-backed scratch directory. */
    public ServiceBuilder tmpfs(String target) {
        f.mounts.add(Mount.tmpfs(Objects.requireNonNull(target, "target == null")));
        return this;
    }

    /** Sets any mount. */
    public ServiceBuilder mount(Mount mount) {
        f.mounts.add(Objects.requireNonNull(mount, "mount == null"));
        return this;
    }

    /** Sets the health check that decides {@link Condition#HEALTHY}. */
    public ServiceBuilder healthCheck(HealthCheck check) {
        f.healthCheck = Optional.of(Objects.requireNonNull(check, "check == null"));
        return this;
    }

    /** Sets a deployment secret as a read-only file at {@code /run/secrets/<secret>}. */
    public ServiceBuilder secret(String secret) {
        f.secrets.add(SecretRef.file(Objects.requireNonNull(secret, "secret == null")));
        return this;
    }

    /** Sets a deployment secret as a read-only file at {@code path}. */
    public ServiceBuilder secret(String secret, String path) {
        f.secrets.add(SecretRef.file(Objects.requireNonNull(secret, "secret == null"), Objects.requireNonNull(path, "path == null")));
        return this;
    }

    /** Sets a deployment secret as an environment variable: an explicit opt-in, since {@code docker inspect} shows it. */
    public ServiceBuilder secretAsEnv(String secret, String variable) {
        f.secrets.add(SecretRef.environment(Objects.requireNonNull(secret, "secret == null"), Objects.requireNonNull(variable, "variable == null")));
        return this;
    }

    /** Sets how long a stop waits after SIGTERM before SIGKILL. */
    public ServiceBuilder stopGracePeriod(Duration period) {
        f.stopGracePeriod = Objects.requireNonNull(period, "period == null");
        return this;
    }

    /** Sets the working directory. */
    public ServiceBuilder workingDir(String directory) {
        f.workingDir = Objects.requireNonNull(directory, "directory == null");
        return this;
    }

    /** Sets a required dependency. */
    public ServiceBuilder dependsOn(String target, Condition condition) {
        f.dependsOn(Dependency.on(target, condition));
        return this;
    }

    /** Sets a required dependency on {@code target} being {@link Condition#STARTED}. */
    public ServiceBuilder dependsOn(String target) {
        f.dependsOn(Dependency.on(target, Condition.STARTED));
        return this;
    }

    /** Sets a dependency with options, e.g. {@code Dependency.on("x", HEALTHY).required(false)}. */
    public ServiceBuilder dependsOn(Dependency dependency) {
        f.dependsOn(dependency);
        return this;
    }

    /** Sets the profiles that enable this node; a node without profiles is always enabled. */
    public ServiceBuilder profiles(String... profiles) {
        f.profiles.addAll(ContainerFields.argv("profiles", profiles));
        return this;
    }

    /** Sets the pool this node draws a slot from. */
    public ServiceBuilder pool(String pool) {
        f.pool = Optional.of(Objects.requireNonNull(pool, "pool == null"));
        return this;
    }

    /** Sets a user label put on every resource of this node. */
    public ServiceBuilder label(String key, String value) {
        f.labels.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
        return this;
    }

    /** Sets how many containers run at once (0 = defined but not running). */
    public ServiceBuilder replicas(int replicas) {
        this.replicas = replicas;
        return this;
    }

    /** Sets what the backend does when a container exits. */
    public ServiceBuilder restart(RestartPolicy policy) {
        this.restartPolicy = Objects.requireNonNull(policy, "policy == null");
        return this;
    }

    Service build() {
        return new Service(f.name, f.container(), replicas, restartPolicy, f.dependencies, f.profiles, f.pool,
                f.labels);
    }

}
