package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The chain of nodes whose durations add up to the longest time before everything is ready: no schedule can bring
 * the plan up faster than {@link #length()}.
 *
 * <pre>{@code
 * CriticalPath cp = plan.criticalPath(Map.of("database", Duration.ofSeconds(20)));
 * System.out.println(String.join(" -> ", cp.nodes()) + " = " + cp.length());
 * }</pre>
 *
 * @param nodes  the chain, from the first node to start to the last to become ready
 * @param length the sum of the chain's durations
 */
public record CriticalPath(List<String> nodes, Duration length) {
    public CriticalPath {
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(length, "length == null");
    }

    @Override
    public String toString() {
        return String.join(" -> ", nodes) + " (" + length + ")";
    }
}
