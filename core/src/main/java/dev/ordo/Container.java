package dev.ordo;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What runs in each of a node's containers: the fields services and jobs share.
 *
 * <pre>{@code
 * Container c = deployment.node("database").orElseThrow().container();
 * c.image();        // "mysql:8.0.23"
 * c.healthCheck();  // Optional[HealthCheck[...]]
 * }</pre>
 *
 * @param image            the image reference
 * @param command          the argv that replaces the image's command; empty keeps the image's
 * @param entrypoint       the argv that replaces the image's entrypoint; empty keeps the image's
 * @param environment      environment variables, in insertion order
 * @param ports            ports the container listens on
 * @param mounts           volumes, bind mounts and tmpfs
 * @param healthCheck      the health check, if any
 * @param secrets          secrets delivered to the container
 * @param stopGracePeriod  how long a stop waits after SIGTERM before SIGKILL
 * @param workingDir       the working directory; empty keeps the image's
 * @param liveness         the check whose repeated failure restarts a running replica, if any
 * @param resources        CPU and memory requests and limits
 * @param security         the user, group, non-root requirement and read-only root filesystem
 * @param scheduling       node selector and tolerations (Kubernetes only)
 * @param build            how the image is built, if it is ({@link Build})
 * @param networking       the networks joined and the aliases the node is reached by
 * @param stopSignal       the signal that asks the process to stop ({@code SIGINT}, {@code SIGQUIT}, ...); empty:
 *                         the image's ({@code STOPSIGNAL}), else SIGTERM
 */
public record Container(
        String image,
        List<String> command,
        List<String> entrypoint,
        Map<String, String> environment,
        List<Port> ports,
        List<Mount> mounts,
        Optional<HealthCheck> healthCheck,
        List<SecretRef> secrets,
        Duration stopGracePeriod,
        String workingDir,
        Optional<HealthCheck> liveness,
        Resources resources,
        Security security,
        Scheduling scheduling,
        Optional<Build> build,
        Networking networking,
        String stopSignal) {

    /** The stop grace period when none is given, as in Docker. */
    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    public Container {
        Objects.requireNonNull(image, "image == null");
        command = List.copyOf(command);
        entrypoint = List.copyOf(entrypoint);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        ports = List.copyOf(ports);
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(healthCheck, "healthCheck == null");
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod == null");
        Objects.requireNonNull(workingDir, "workingDir == null");
        Objects.requireNonNull(liveness, "liveness == null");
        Objects.requireNonNull(resources, "resources == null");
        Objects.requireNonNull(security, "security == null");
        Objects.requireNonNull(scheduling, "scheduling == null");
        Objects.requireNonNull(build, "build == null");
        Objects.requireNonNull(networking, "networking == null");
        Objects.requireNonNull(stopSignal, "stopSignal == null");
    }

    /** A container stopped with its image's stop signal. */
    public Container(String image, List<String> command, List<String> entrypoint, Map<String, String> environment,
                     List<Port> ports, List<Mount> mounts, Optional<HealthCheck> healthCheck, List<SecretRef> secrets,
                     Duration stopGracePeriod, String workingDir, Optional<HealthCheck> liveness, Resources resources,
                     Security security, Scheduling scheduling, Optional<Build> build, Networking networking) {
        this(image, command, entrypoint, environment, ports, mounts, healthCheck, secrets, stopGracePeriod,
                workingDir, liveness, resources, security, scheduling, build, networking, "");
    }

    /** A container whose image is not built here, on the deployment's default network. */
    public Container(String image, List<String> command, List<String> entrypoint, Map<String, String> environment,
                     List<Port> ports, List<Mount> mounts, Optional<HealthCheck> healthCheck, List<SecretRef> secrets,
                     Duration stopGracePeriod, String workingDir, Optional<HealthCheck> liveness, Resources resources,
                     Security security, Scheduling scheduling) {
        this(image, command, entrypoint, environment, ports, mounts, healthCheck, secrets, stopGracePeriod,
                workingDir, liveness, resources, security, scheduling, Optional.empty(), Networking.defaults(), "");
    }

    /** A container without liveness check, resources, security context or scheduling constraints. */
    public Container(String image, List<String> command, List<String> entrypoint, Map<String, String> environment,
                     List<Port> ports, List<Mount> mounts, Optional<HealthCheck> healthCheck, List<SecretRef> secrets,
                     Duration stopGracePeriod, String workingDir) {
        this(image, command, entrypoint, environment, ports, mounts, healthCheck, secrets, stopGracePeriod,
                workingDir, Optional.empty(), Resources.none(), Security.none(), Scheduling.anywhere(),
                Optional.empty(), Networking.defaults(), "");
    }

    /** This container with another environment, everything else equal. */
    public Container withEnvironment(Map<String, String> environment) {
        return new Container(image, command, entrypoint, environment, ports, mounts, healthCheck, secrets,
                stopGracePeriod, workingDir, liveness, resources, security, scheduling, build, networking, stopSignal);
    }

    /**
     * The image the node runs: its image, or for a node that is only built, the tag Compose would give the build
     * ({@code <deployment>-<node>}).
     */
    public String imageFor(String deployment, String node) {
        return image.isEmpty() && build.isPresent() ? Build.defaultTag(deployment, node) : image;
    }
}
