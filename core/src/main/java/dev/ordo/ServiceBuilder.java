package dev.ordo;

import java.util.Objects;

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
public final class ServiceBuilder extends NodeBuilder<ServiceBuilder> {
    private int replicas = 1;
    private RestartPolicy restartPolicy = RestartPolicy.NO;
    private int maxRestarts;

    ServiceBuilder(String name) {
        super(name);
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

    /**
     * Sets, with {@link RestartPolicy#ON_FAILURE}, how many times a failed replica is restarted before it is left
     * exited and the node crashed (Compose's {@code on-failure:N}); 0, the default, sets no limit.
     */
    public ServiceBuilder maxRestarts(int restarts) {
        this.maxRestarts = restarts;
        return this;
    }

    Service build() {
        return new Service(f.name, f.container(), replicas, restartPolicy, f.dependencies, f.profiles, f.pool,
                f.labels, maxRestarts);
    }

}
