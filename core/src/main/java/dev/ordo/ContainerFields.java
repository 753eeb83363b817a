package dev.ordo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The mutable state the two node builders share; they delegate to it so that neither exposes a self-type. */
final class ContainerFields {
    final String name;
    String image = "";
    List<String> command = List.of();
    List<String> entrypoint = List.of();
    final Map<String, String> environment = new LinkedHashMap<>();
    final List<Port> ports = new ArrayList<>();
    final List<Mount> mounts = new ArrayList<>();
    Optional<HealthCheck> healthCheck = Optional.empty();
    final List<SecretRef> secrets = new ArrayList<>();
    Duration stopGracePeriod = Container.DEFAULT_STOP_GRACE_PERIOD;
    String workingDir = "";
    Optional<HealthCheck> liveness = Optional.empty();
    Resources resources = Resources.none();
    Security security = Security.none();
    final Map<String, String> nodeSelector = new LinkedHashMap<>();
    final List<Toleration> tolerations = new ArrayList<>();
    final List<Dependency> dependencies = new ArrayList<>();
    final Set<String> profiles = new LinkedHashSet<>();
    Optional<String> pool = Optional.empty();
    final Map<String, String> labels = new LinkedHashMap<>();
    Optional<Build> build = Optional.empty();
    final List<String> networks = new ArrayList<>();
    final List<String> aliases = new ArrayList<>();
    String stopSignal = "";

    ContainerFields(String name) {
        this.name = name;
    }

    static List<String> argv(String what, String... argv) {
        Objects.requireNonNull(argv, what + " == null");
        for (String a : argv) {
            Objects.requireNonNull(a, what + " contains null");
        }
        return List.of(argv);
    }

    void env(String key, String value) {
        environment.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
    }

    void dependsOn(Dependency dependency) {
        dependencies.add(Objects.requireNonNull(dependency, "dependency == null"));
    }

    Container container() {
        return new Container(image, command, entrypoint, environment, ports, mounts, healthCheck, secrets,
                stopGracePeriod, workingDir, liveness, resources, security, new Scheduling(nodeSelector, tolerations),
                build, new Networking(networks, aliases), stopSignal);
    }
}
