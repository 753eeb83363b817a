package dev.ordo;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A long-running node: it is {@link Condition#STARTED} once its containers run and {@link Condition#HEALTHY} once
 * its health check passes on every replica. Build it through {@link Deployment.Builder#service}.
 *
 * <pre>{@code
 * .service("queue", s -> s.image("rabbitmq:3.9.8")
 *     .healthCheck(HealthCheck.command("rabbitmq-diagnostics", "check_running"))
 *     .restart(RestartPolicy.UNLESS_STOPPED))
 * }</pre>
 *
 * @param name          the node name
 * @param container     what runs
 * @param replicas      how many containers run at once (0 = defined but not running)
 * @param restartPolicy what happens when a container exits
 * @param dependencies  what must hold before it starts
 * @param profiles      the profiles that enable it; empty = always
 * @param pool          the pool it draws a slot from
 * @param labels        user labels
 * @param maxRestarts   with {@link RestartPolicy#ON_FAILURE}: how many times a replica is restarted after failing
 *                      before it is left exited (Compose's {@code on-failure:N}); 0 = no limit
 */
public record Service(
        String name,
        Container container,
        int replicas,
        RestartPolicy restartPolicy,
        List<Dependency> dependencies,
        Set<String> profiles,
        Optional<String> pool,
        Map<String, String> labels,
        int maxRestarts) implements Node {

    public Service {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(container, "container == null");
        Objects.requireNonNull(restartPolicy, "restartPolicy == null");
        dependencies = List.copyOf(dependencies);
        profiles = Set.copyOf(profiles);
        Objects.requireNonNull(pool, "pool == null");
        labels = Map.copyOf(labels);
    }

    /** A service whose restarts are not limited in number. */
    public Service(String name, Container container, int replicas, RestartPolicy restartPolicy,
                   List<Dependency> dependencies, Set<String> profiles, Optional<String> pool,
                   Map<String, String> labels) {
        this(name, container, replicas, restartPolicy, dependencies, profiles, pool, labels, 0);
    }

    /**
     * Whether a replica that exited with {@code exitCode} by itself, after {@code restarts} restarts of its
     * failures, is restarted: its policy says so and, for {@code ON_FAILURE}, its limit is not reached.
     */
    public boolean restartsAfter(int exitCode, int restarts) {
        return restartPolicy.restartsAfter(exitCode)
                && !(restartPolicy == RestartPolicy.ON_FAILURE && maxRestarts > 0 && restarts >= maxRestarts);
    }

    @Override
    public Kind kind() {
        return Kind.SERVICE;
    }
}
