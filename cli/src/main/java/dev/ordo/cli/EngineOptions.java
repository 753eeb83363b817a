package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.docker.DockerBackend;
import dev.ordo.docker.DockerEngine;
import dev.ordo.docker.Placement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The runner's options for a deployment over several Docker engines: the engines by name, their addresses, and
 * where each profile or node runs. Without {@code --place}, an example's own placement applies (AlphaKraken's).
 *
 * <pre>{@code
 * ordo up --example alphakraken --backend docker --stand-ins \
 *     --docker-host dbs-pc=unix:///var/run/docker.sock --docker-host infra-pc=unix:///run/ordo-engines/engine-1.sock \
 *     --docker-host workers-pc=unix:///run/ordo-engines/engine-2.sock
 * }</pre>
 */
final class EngineOptions {
    @Option(names = "--docker-host", paramLabel = "NAME=URI", description = "docker: an engine of the deployment,"
            + " e.g. pc1=tcp://10.0.0.5:2376; repeatable (several engines as one deployment)")
    Map<String, String> hosts = new LinkedHashMap<>();

    @Option(names = "--engine-address", paramLabel = "NAME=ADDRESS", description = "docker: the address other"
            + " engines' containers reach engine NAME's published ports at (derived for engines on this machine)")
    Map<String, String> addresses = new LinkedHashMap<>();

    @Option(names = "--place", paramLabel = "PROFILE|NODE|*=ENGINE", description = "docker: run a profile's nodes"
            + " (or a node, or with * every other node) on an engine; repeatable")
    List<String> place = new ArrayList<>();

    /** Whether any engine was named: the deployment then runs over {@link #hosts}. */
    boolean several() {
        return !hosts.isEmpty();
    }

    /** The backend over the named engines. */
    DockerBackend backend(Source source, Deployment deployment) {
        List<DockerEngine> engines = new ArrayList<>();
        hosts.forEach((name, uri) -> {
            DockerEngine e = DockerEngine.at(name, uri);
            engines.add(Optional.ofNullable(addresses.get(name)).map(e::reachableAt).orElse(e));
        });
        addresses.keySet().stream().filter(n -> !hosts.containsKey(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException("--engine-address names engine '" + n + "', which no --docker-host"
                    + " defines; add --docker-host " + n + "=URI");
        });
        return DockerBackend.onEngines(placement(source, deployment), engines);
    }

    /** The placement the options give, else the example's own. */
    Placement placement(Source source, Deployment deployment) {
        if (place.isEmpty()) {
            return source.placement().orElseThrow(() -> new IllegalArgumentException("--docker-host names several"
                    + " engines but nothing says which node runs where; add --place PROFILE=ENGINE (profiles: "
                    + deployment.profiles() + ") or --place '*=ENGINE'"));
        }
        Placement.Builder b = Placement.builder();
        for (String rule : place) {
            int eq = rule.indexOf('=');
            if (eq <= 0 || eq == rule.length() - 1) {
                throw new IllegalArgumentException("--place '" + rule + "' must be PROFILE=ENGINE, NODE=ENGINE or"
                        + " *=ENGINE, e.g. --place dbs=pc1");
            }
            String what = rule.substring(0, eq);
            String engine = rule.substring(eq + 1);
            if (what.equals("*")) {
                b.otherwise(engine);
            } else if (deployment.profiles().contains(what)) {
                b.profile(what, engine);
            } else if (deployment.node(what).isPresent()) {
                b.node(what, engine);
            } else {
                throw new IllegalArgumentException("--place '" + rule + "': '" + what + "' is neither a profile "
                        + deployment.profiles() + " nor a node of '" + deployment.name() + "'");
            }
        }
        return b.build();
    }

    /** Node -> engine lines for the plan output, when engines were named. */
    Map<String, String> layout(Source source, Deployment deployment, Iterable<String> nodes) {
        Placement p = placement(source, deployment);
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : nodes) {
            out.put(n, p.engineOf(deployment.requireNode(n)).orElse("(no engine: add --place)"));
        }
        return out;
    }
}
