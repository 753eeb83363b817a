package dev.ordo;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * CPU and memory a node's containers ask for (requests) and may not exceed (limits), written as Kubernetes writes
 * quantities: CPU in cores ({@code "0.5"}, {@code "250m"}), memory in bytes with a suffix ({@code "256Mi"},
 * {@code "1G"}). An empty string means "not set". {@code build()} rejects a quantity Kubernetes would not parse, a
 * negative one, and a request above its limit.
 *
 * <p>Kubernetes puts them in the pod spec; Docker maps a CPU limit to {@code --cpus}, a CPU request to
 * {@code --cpu-shares} (1024 per core), a memory limit to {@code --memory} and a memory request to
 * {@code --memory-reservation}; the simulated backend keeps them as data.
 *
 * <pre>{@code
 * .service("database", s -> s.image("mariadb:10.11")
 *     .resources(Resources.none().cpu("500m", "2").memory("512Mi", "2Gi")))
 * }</pre>
 *
 * @param cpuRequest    CPU the scheduler reserves, e.g. {@code "250m"}; empty: none
 * @param cpuLimit      CPU the container may use at most, e.g. {@code "2"}; empty: no limit
 * @param memoryRequest memory the scheduler reserves, e.g. {@code "256Mi"}; empty: none
 * @param memoryLimit   memory past which the container is killed, e.g. {@code "1Gi"}; empty: no limit
 */
public record Resources(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {
    private static final Resources NONE = new Resources("", "", "", "");

    public Resources {
        Objects.requireNonNull(cpuRequest, "cpuRequest == null");
        Objects.requireNonNull(cpuLimit, "cpuLimit == null");
        Objects.requireNonNull(memoryRequest, "memoryRequest == null");
        Objects.requireNonNull(memoryLimit, "memoryLimit == null");
    }

    /** No requests and no limits: what a node has unless told otherwise. */
    public static Resources none() {
        return NONE;
    }

    /** These resources with a CPU request and limit; pass {@code ""} to leave either unset. */
    public Resources cpu(String request, String limit) {
        return new Resources(request, limit, memoryRequest, memoryLimit);
    }

    /** These resources with a memory request and limit; pass {@code ""} to leave either unset. */
    public Resources memory(String request, String limit) {
        return new Resources(cpuRequest, cpuLimit, request, limit);
    }

    /** Whether nothing is set. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** The CPU request in thousandths of a core, if set and valid. */
    public OptionalLong cpuRequestMillis() {
        return Quantities.scaled(cpuRequest, 1_000);
    }

    /** The CPU limit in thousandths of a core, if set and valid. */
    public OptionalLong cpuLimitMillis() {
        return Quantities.scaled(cpuLimit, 1_000);
    }

    /** The memory request in bytes, if set and valid. */
    public OptionalLong memoryRequestBytes() {
        return Quantities.scaled(memoryRequest, 1);
    }

    /** The memory limit in bytes, if set and valid. */
    public OptionalLong memoryLimitBytes() {
        return Quantities.scaled(memoryLimit, 1);
    }

    /** The value of a Kubernetes quantity, or null when {@code quantity} is not one. */
    static BigDecimal parse(String quantity) {
        return Quantities.parse(quantity);
    }
}
