package dev.ordo;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes a plan covers: the profiles that are active and, optionally, target nodes (then only the targets and
 * what they transitively need are planned, as in {@code docker compose up webui}). A node without profiles is
 * always enabled; a node with profiles is enabled when one of them is active or when it is a target.
 *
 * <pre>{@code
 * deployment.plan(Selection.profiles("celery", "native-query").withTargets("webui"));
 * deployment.plan(Selection.allProfiles());
 * }</pre>
 *
 * @param profiles    the active profiles
 * @param targets     the nodes to bring up; empty = every enabled node
 * @param everyProfile whether every profile is active
 */
public record Selection(Set<String> profiles, Set<String> targets, boolean everyProfile) {
    public Selection {
        // sorted, so that exports and messages list them the same way on every run
        profiles = sorted(Objects.requireNonNull(profiles, "profiles == null"), "profile");
        targets = sorted(Objects.requireNonNull(targets, "targets == null"), "target");
    }

    private static Set<String> sorted(Collection<String> names, String what) {
        TreeSet<String> out = new TreeSet<>();
        for (String n : names) {
            out.add(Objects.requireNonNull(n, what + " == null"));
        }
        return Collections.unmodifiableSortedSet(out);
    }

    private static List<String> list(String[] names, String what) {
        Objects.requireNonNull(names, what + "s == null");
        return Arrays.asList(names); // duplicates are harmless: the set drops them
    }

    /** No profile active, no target: every node without profiles. */
    public static Selection defaults() {
        return new Selection(Set.of(), Set.of(), false);
    }

    /** The given profiles active. */
    public static Selection profiles(String... profiles) {
        return new Selection(sorted(list(profiles, "profile"), "profile"), Set.of(), false);
    }

    /** Every profile active: every node of the deployment. */
    public static Selection allProfiles() {
        return new Selection(Set.of(), Set.of(), true);
    }

    /** This selection, restricted to {@code targets} and what they need. */
    public Selection withTargets(String... targets) {
        return new Selection(profiles, sorted(list(targets, "target"), "target"), everyProfile);
    }

    /** This selection, with {@code more} profiles active too. */
    public Selection withProfiles(String... more) {
        Set<String> all = new TreeSet<>(profiles);
        all.addAll(sorted(list(more, "profile"), "profile"));
        return new Selection(all, targets, everyProfile);
    }

    /** Whether a node with {@code nodeProfiles} is enabled by the profiles alone. */
    public boolean enables(Set<String> nodeProfiles) {
        Objects.requireNonNull(nodeProfiles, "nodeProfiles == null");
        return nodeProfiles.isEmpty() || everyProfile || nodeProfiles.stream().anyMatch(profiles::contains);
    }
}
