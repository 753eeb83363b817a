package dev.ordo;

import java.util.Objects;

/**
 * One planned dependency: {@code dependent} starts only once {@code condition} holds of {@code dependency}.
 *
 * <pre>{@code
 * plan.edges().forEach(e -> System.out.println(e.dependency() + " -[" + e.condition().label() + "]-> " + e.dependent()));
 * }</pre>
 *
 * @param dependency the node depended on
 * @param dependent  the node that waits
 * @param condition  what must hold
 * @param restart    whether the dependent is recreated when the dependency is
 */
public record Edge(String dependency, String dependent, Condition condition, boolean restart) {
    public Edge {
        Objects.requireNonNull(dependency, "dependency == null");
        Objects.requireNonNull(dependent, "dependent == null");
        Objects.requireNonNull(condition, "condition == null");
    }
}
