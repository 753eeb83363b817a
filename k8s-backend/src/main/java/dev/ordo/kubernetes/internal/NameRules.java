package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Ordo's names on Kubernetes. Core takes the names Compose and Docker take ({@code plausible_db}, {@code Web.UI});
 * Kubernetes object names are lower-case DNS labels, so every object name is mapped ({@link K8sNames#objectName}).
 * What that costs is said, not hidden: two names that map to one object name are refused, naming both; the names
 * mapped are listed once per export or prepare; and because other pods reach a node by its Service's name, an
 * environment variable or command that mentions a node's own name where it differs from its Service's is named,
 * as is an alias no Service can be named after. An alias that can ({@link #aliasServices}) gets a Service of its
 * own, so that other pods reach the node by it as on Docker.
 *
 * <pre>{@code
 * NameRules.problems(deployment);            // ["nodes 'a_b' and 'a-b' both become 'a-b' on Kubernetes, ...]
 * NameRules.warnings(deployment, nodes);     // the names mapped, and the host names that no longer resolve
 * }</pre>
 */
final class NameRules {
    /** Service names: DNS-1035 labels (they start with a letter). */
    private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private NameRules() {
    }

    /**
     * The extra Services of {@code node}, one per alias that can name a Service (a DNS-1035 label) and is not its
     * own Service's name, once each.
     */
    static List<String> aliasServices(Node node) {
        Set<String> out = new LinkedHashSet<>();
        for (String alias : node.container().networking().aliases()) {
            if (canNameService(alias) && !alias.equals(K8sNames.serviceName(node.name()))) {
                out.add(alias);
            }
        }
        return List.copyOf(out);
    }

    private static boolean canNameService(String name) {
        return name.length() <= 63 && DNS1035.matcher(name).matches();
    }

    /** Every pair of names that Kubernetes could not tell apart once mapped, each naming both and the fix. */
    static List<String> problems(Deployment d) {
        List<String> out = new ArrayList<>();
        clashes(d.nodes().stream().map(Node::name).toList(), K8sNames::objectName, "nodes", "", out);
        // a secret no node uses gets no Secret object, so it clashes with nothing
        List<String> secrets = SupportObjects.usedSecrets(d).stream().filter(d.secrets()::containsKey).toList();
        clashes(secrets, s -> K8sNames.secretName(d.name(), s), "secrets", "Secret ", out);
        // external volumes may well share one claim, as they may share one Docker volume
        List<String> created = d.volumes().stream().filter(v -> !d.volume(v).external()).toList();
        clashes(created, v -> K8sNames.claimName(d, v), "volumes", "PersistentVolumeClaim ", out);
        Map<String, List<String>> services = new LinkedHashMap<>();
        for (Node n : d.nodes()) {
            if (SupportObjects.hasService(n)) {
                services.computeIfAbsent(K8sNames.serviceName(n.name()), k -> new ArrayList<>())
                        .add(what(n));
                aliasServices(n).forEach(a -> services.computeIfAbsent(a, k -> new ArrayList<>())
                        .add("alias '" + a + "' of " + what(n)));
            }
        }
        services.forEach((name, owners) -> {
            // nodes that clash among themselves are named above
            if (owners.size() > 1 && owners.stream().anyMatch(o -> o.startsWith("alias "))) {
                out.add("Service '" + name + "' would be made for " + String.join(" and for ", owners)
                        + ", but one name holds one Service; drop or rename the alias");
            }
        });
        return out;
    }

    private static void clashes(List<String> names, Function<String, String> mapped, String kinds, String object,
                                List<String> out) {
        Map<String, List<String>> by = new LinkedHashMap<>();
        names.forEach(n -> by.computeIfAbsent(mapped.apply(n), k -> new ArrayList<>()).add(n));
        by.forEach((to, from) -> {
            if (from.size() > 1) {
                boolean two = from.size() == 2;
                out.add(kinds + " " + (two ? "'" + from.get(0) + "' and '" + from.get(1) + "'" : quoted(from))
                        + (two ? " both" : " all") + " become " + object + "'" + to
                        + "' on Kubernetes, whose object names are lower-case DNS labels; rename "
                        + (two ? "one of them" : "all but one of them"));
            }
        });
    }

    /**
     * What the mapping of names changes for {@code nodes} of {@code d}: one line listing the names mapped, one per
     * environment variable or command that mentions a host name other pods cannot resolve, one per alias that
     * cannot name a Service.
     */
    static List<String> warnings(Deployment d, Collection<? extends Node> nodes) {
        List<String> out = new ArrayList<>();
        mapped(d, nodes).ifPresent(out::add);
        for (Node n : nodes) {
            if (!SupportObjects.hasService(n)) {
                continue; // without ports a node gets no Service: no name of it is reachable, mapped or not
            }
            String service = K8sNames.serviceName(n.name());
            if (!service.equals(n.name())) {
                mentions(nodes, n.name(), "'" + n.name() + "'", service, out);
            }
            for (String alias : n.container().networking().aliases()) {
                if (!canNameService(alias) && !alias.equals(n.name())) {
                    out.add(what(n) + " has alias '" + alias + "', which cannot name a Kubernetes Service (a DNS-1035"
                            + " label: lower-case letters, digits and '-', starting with a letter), so other pods"
                            + " cannot reach it by that name; use its Service '" + service + "', or an alias such as '"
                            + K8sNames.objectName(alias) + "'");
                    mentions(nodes, alias, "alias '" + alias + "' of " + what(n), service, out);
                }
            }
        }
        return out;
    }

    /** The one line listing the names mapped, if any was. */
    private static Optional<String> mapped(Deployment d, Collection<? extends Node> nodes) {
        List<String> mapped = new ArrayList<>();
        if (!K8sNames.objectName(d.name()).equals(d.name())) {
            mapped.add("deployment '" + d.name() + "' -> '" + K8sNames.objectName(d.name()) + "' (its namespace, and"
                    + " the prefix of its Secrets and claims)");
        }
        for (Node n : nodes) {
            if (!K8sNames.objectName(n.name()).equals(n.name())) {
                mapped.add(n.kind().label() + " '" + n.name() + "' -> '" + K8sNames.objectName(n.name()) + "'");
            }
        }
        for (String s : SupportObjects.usedSecrets(nodes)) {
            if (!K8sNames.objectName(s).equals(s)) {
                mapped.add("secret '" + s + "' -> Secret '" + K8sNames.secretName(d.name(), s) + "' (its file keeps"
                        + " the name)");
            }
        }
        Set<String> owned = new LinkedHashSet<>();
        nodes.forEach(n -> owned.addAll(Claims.owned(d, n)));
        for (String v : new TreeSet<>(volumes(nodes))) {
            String name = owned.contains(v) ? K8sNames.podVolumeName(v) : K8sNames.claimName(d, v);
            String docker = owned.contains(v) ? v : d.volume(v).platformName(d.name());
            if (!name.equals(docker)) {
                mapped.add("volume '" + v + "' -> " + (owned.contains(v) ? "claim template '" : "claim '") + name
                        + "'");
            }
        }
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Kubernetes object names are lower-case DNS labels, so these names were mapped: "
                + String.join(", ", mapped) + "; labels keep the original names");
    }

    private static Set<String> volumes(Collection<? extends Node> nodes) {
        Set<String> out = new LinkedHashSet<>();
        nodes.forEach(n -> n.container().mounts().stream().filter(m -> m.type() == Mount.Type.VOLUME)
                .forEach(m -> out.add(m.source())));
        return out;
    }

    /**
     * One warning per environment variable or command of {@code nodes} that mentions host name {@code host}
     * (shown as {@code shown}), which other pods reach as Service {@code service} only.
     */
    private static void mentions(Collection<? extends Node> nodes, String host, String shown, String service,
                                 List<String> out) {
        // a host name stands alone: not part of a longer name (plausible_db_2), though it may be followed by a
        // port, a path or a domain (plausible_db:5432, plausible_db.local)
        Pattern mention = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(host) + "(?![A-Za-z0-9_-])");
        boolean caseOnly = host.toLowerCase(Locale.ROOT).equals(service);
        // DNS ignores case (CoreDNS lower-cases queries), so an upper-case name resolves; what compares host names
        // as strings (TLS certificates, virtual hosts, allow-lists) does not
        String why = caseOnly ? ", which Kubernetes resolves only because DNS ignores case (its Service is '" + service
                + "'), while what compares host names as text (TLS certificates, virtual hosts) may not"
                : ", which Kubernetes cannot resolve (its Service is '" + service + "')";
        for (Node m : nodes) {
            m.container().environment().forEach((k, v) -> {
                if (mention.matcher(v).find()) {
                    out.add(what(m) + " env " + k + " mentions " + shown + why + "; use the Service name in that"
                            + " value");
                }
            });
            List<String> argv = new ArrayList<>(m.container().entrypoint());
            argv.addAll(m.container().command());
            if (argv.stream().anyMatch(a -> mention.matcher(a).find())) {
                out.add(what(m) + " command mentions " + shown + why + "; use the Service name there");
            }
        }
    }

    private static String what(Node n) {
        return n.kind().label() + " '" + n.name() + "'";
    }

    private static String quoted(List<String> names) {
        return "'" + String.join("', '", names) + "'";
    }
}
