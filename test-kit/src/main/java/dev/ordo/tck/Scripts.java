package dev.ordo.tck;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Script} of each node of a contract scenario; a node without one behaves as {@link Script#service()}
 * or {@link Script#job()}.
 *
 * <pre>{@code
 * Scripts scripts = Scripts.none().with("db", Script.service().readyAfter(Duration.ofSeconds(1)));
 * }</pre>
 */
public final class Scripts {
    private final Map<String, Script> byNode;

    private Scripts(Map<String, Script> byNode) {
        this.byNode = Map.copyOf(byNode);
    }

    /** No node scripted: every node behaves by default. */
    public static Scripts none() {
        return new Scripts(Map.of());
    }

    /** These scripts, with {@code node} behaving as {@code script}. */
    public Scripts with(String node, Script script) {
        Map<String, Script> m = new LinkedHashMap<>(byNode);
        m.put(Objects.requireNonNull(node, "node == null"), Objects.requireNonNull(script, "script == null"));
        return new Scripts(m);
    }

    /** The script of {@code node}, if it has one. */
    public Optional<Script> of(String node) {
        return Optional.ofNullable(byNode.get(node));
    }

    /** Every scripted node and its script. */
    public Map<String, Script> all() {
        return byNode;
    }

    @Override
    public String toString() {
        return "Scripts" + byNode;
    }
}
