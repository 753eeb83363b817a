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
 */
public record Service(
        String name,
        Container container,
        int replicas,
        RestartPolicy restartPolicy,
        List<Dependency> dependencies,
        Set<String> profiles,
        Optional<String> pool,
        Map<String, String> labels) implements Node {

    public Service {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(container, "container == null");
        Objects.requireNonNull(restartPolicy, "restartPolicy == null");
        dependencies = List.copyOf(dependencies);
        profiles = Set.copyOf(profiles);
        Objects.requireNonNull(pool, "pool == null");
        labels = Map.copyOf(labels);
    }

    @Override
    public Kind kind() {
        return Kind.SERVICE;
    }
}
