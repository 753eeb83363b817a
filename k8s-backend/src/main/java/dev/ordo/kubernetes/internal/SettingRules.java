package dev.ordo.kubernetes.internal;

import dev.ordo.Build;
import dev.ordo.Container;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Mount;
import dev.ordo.Network;
import dev.ordo.Node;
import dev.ordo.Port;
import dev.ordo.Service;
import dev.ordo.Volume;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings real Compose files bring that Kubernetes cannot express, refused naming the node (or network), the
 * setting and the fix, and those it expresses differently, warned about: the one rule set of the export and the
 * live backend. A key Ordo cannot honour here is an error, not a silent change:
 * <ul>
 *   <li>a published port's host address: Ordo publishes a port as a ClusterIP Service, which has no host address
 *       (it makes no {@code hostPort});</li>
 *   <li>SELinux relabelling of a bind mount (Kubernetes relabels only volumes it manages, never a hostPath), and
 *       propagation it has no form for (non-recursive modes; {@code rshared}, which is Bidirectional and needs a
 *       privileged container, which Ordo never runs);</li>
 *   <li>internal and external networks (one flat pod network);</li>
 *   <li>a user given by name (Kubernetes takes ids; {@code root} is 0);</li>
 *   <li>the image's own health check (Kubernetes cannot read it);</li>
 *   <li>an on-failure restart limit (the kubelet restarts without one);</li>
 *   <li>a node that is only built (Kubernetes cannot build);</li>
 *   <li>a volume made by a Docker volume driver or with driver options (claims come from storage classes);</li>
 *   <li>a stop signal other than the image's (the kubelet sends the image's STOPSIGNAL).</li>
 * </ul>
 * Warned about: plain custom networks (no isolation between them) and nodes built here that have an image (the
 * cluster pulls it as it is).
 *
 * <pre>{@code
 * SettingRules.problems(deployment);   // ["service 'db' publishes port 5432 on host address 127.0.0.1, ...]
 * }</pre>
 */
final class SettingRules {
    private SettingRules() {
    }

    /** Everything Kubernetes cannot express, one line each. */
    static List<String> problems(Deployment d) {
        List<String> out = new ArrayList<>();
        for (Node n : d.nodes()) {
            String what = n.kind().label() + " '" + n.name() + "'";
            Container c = n.container();
            for (Port p : c.ports()) {
                if (!p.hostIp().isEmpty()) {
                    // Ordo makes published ports a ClusterIP Service (SupportObjects), never a hostPort: there is no
                    // host whose address could be chosen
                    out.add(what + " publishes port " + p.container() + " on host address " + p.hostIp() + ", which"
                            + " Kubernetes cannot honour: Ordo makes a published port a Service reachable inside the"
                            + " cluster, on no host address; drop the address (Port.published(" + p.host() + ", "
                            + p.container() + ")), or publish it yourself through a NodePort Service or an Ingress");
                }
            }
            c.mounts().stream().filter(m -> m.type() == Mount.Type.BIND).forEach(m -> mount(what, m, out));
            if (c.security().namesUser()) {
                String user = c.security().userName().split(":", 2)[0];
                out.add(what + " runs as user '" + c.security().userName() + "', given by name, but Kubernetes takes"
                        + " numeric ids only (runAsUser, runAsGroup); give the ids instead, e.g."
                        + " .security(Security.none().user(\"999:999\")) (docker run --rm --entrypoint id "
                        + (c.image().isEmpty() ? "IMAGE" : c.image()) + " " + user + " prints them)");
            }
            imageCheck(what, "health check", c.healthCheck(), c.image(), out);
            imageCheck(what, "liveness check", c.liveness(), c.image(), out);
            if (n instanceof Service s && s.maxRestarts() > 0) {
                out.add(what + " may restart at most " + s.maxRestarts() + " times after failing (on-failure:"
                        + s.maxRestarts() + "), but Kubernetes restarts a Deployment's or StatefulSet's containers"
                        + " without a limit; drop the limit (maxRestarts(0)), or make it a job with .retries("
                        + s.maxRestarts() + ") if it should run to completion");
            }
            if (!c.stopSignal().isEmpty()) {
                out.add(what + " is stopped with " + c.stopSignal() + ", but Kubernetes sends a container the stop"
                        + " signal of its image (STOPSIGNAL) and no other; bake it into the image (STOPSIGNAL "
                        + c.stopSignal() + "), or drop the stop signal");
            }
            if (c.image().isEmpty() && c.build().isPresent()) {
                out.add(onlyBuilt(d, n, c.build().get()));
            }
        }
        for (String name : d.volumes()) {
            Volume v = d.volume(name);
            if (v.hasDriver()) {
                out.add("volume '" + name + "' is made by volume driver '" + (v.driver().isEmpty() ? "local"
                        : v.driver()) + "'" + (v.driverOptions().isEmpty() ? "" : " with options "
                        + v.driverOptions()) + ", which Kubernetes has no counterpart of (its claims are made by"
                        + " storage classes); drop the driver and its options (Compose's driver, driver_opts), or"
                        + " declare the volume external and provide the claim yourself");
            }
        }
        for (String name : d.networks()) {
            Network net = d.network(name);
            if (!net.internal() && !net.external()) {
                continue;
            }
            String members = members(d, name);
            if (net.internal()) {
                out.add("network '" + name + "' is internal (no route out of it), which Kubernetes cannot make: it has"
                        + " one flat pod network, where " + members + " reach and are reached by every pod of the"
                        + " cluster; drop internal (asInternal(), Compose's internal: true), and enforce the"
                        + " isolation with a NetworkPolicy of your own");
            } else {
                out.add("network '" + name + "' is external (an existing network that " + members + " join), which"
                        + " Kubernetes has no counterpart of: it has one flat pod network; drop the network from the"
                        + " deployment and its nodes, and reach what is on it through a Service");
            }
        }
        return out;
    }

    private static void mount(String what, Mount m, List<String> out) {
        String mount = what + " bind-mounts '" + m.source() + "' at '" + m.target() + "'";
        if (m.relabel() != Mount.Relabel.NONE) {
            out.add(mount + " with SELinux relabelling (:" + (m.relabel() == Mount.Relabel.SHARED ? "z" : "Z")
                    + "), which Kubernetes cannot do: it relabels only volumes it manages, never a host path; drop the"
                    + " relabelling, or label the directory on the cluster's nodes yourself (chcon -Rt"
                    + " container_file_t " + m.source() + ")");
        }
        String p = m.propagation().name().toLowerCase(Locale.ROOT);
        switch (m.propagation()) {
            case RSHARED -> out.add(mount + " with propagation rshared, which Kubernetes calls Bidirectional and"
                    + " allows in privileged containers only, and Ordo runs none privileged; use RSLAVE"
                    + " (HostToContainer), or drop the propagation");
            case SHARED, SLAVE -> out.add(mount + " with propagation " + p + ", which Kubernetes cannot express: its"
                    + " propagation is always recursive (rprivate is None, rslave HostToContainer); use R"
                    + m.propagation().name() + " or RPRIVATE, or drop the propagation");
            default -> {
            }
        }
    }

    private static void imageCheck(String what, String kind, Optional<HealthCheck> check, String image,
                                   List<String> out) {
        if (check.isPresent() && check.get().probe() instanceof HealthCheck.ImageDefined) {
            String shown = image.isEmpty() ? "IMAGE" : image;
            out.add(what + " takes its " + kind + " from its image's HEALTHCHECK, which Kubernetes cannot read; give"
                    + " the test itself, e.g. HealthCheck.command(...) with what docker inspect --format"
                    + " '{{json .Config.Healthcheck}}' " + shown + " shows");
        }
    }

    private static String onlyBuilt(Deployment d, Node n, Build b) {
        String image = "REGISTRY/" + n.container().imageFor(d.name(), n.name());
        String file = b.dockerfile().isEmpty() ? "" : " -f " + b.context().replaceAll("/+$", "") + "/" + b.dockerfile();
        String target = b.target().isEmpty() ? "" : " --target " + b.target();
        return n.kind().label() + " '" + n.name() + "' is only built (from " + b.context() + "); Kubernetes cannot"
                + " build: build and push it (docker build -t " + image + file + target + " " + b.context()
                + " && docker push " + image + ") and give it that image (.image(\"" + image + "\"))";
    }

    private static String members(Deployment d, String network) {
        List<String> nodes = d.nodes().stream().filter(n -> n.container().networking().joined().contains(network))
                .map(n -> n.kind().label() + " '" + n.name() + "'").toList();
        return String.join(", ", nodes);
    }

    /**
     * What Kubernetes does differently for {@code nodes}: plain networks other than the default one keep no
     * isolation, and a node built here runs its image as the cluster's registry has it. One line each.
     */
    static List<String> warnings(Deployment d, Collection<? extends Node> nodes) {
        List<String> out = new ArrayList<>();
        List<String> plain = nodes.stream().flatMap(n -> n.container().networking().networks().stream())
                .filter(net -> !Network.DEFAULT.equals(net)).distinct().sorted()
                .filter(net -> !d.network(net).internal() && !d.network(net).external()).toList();
        if (!plain.isEmpty()) {
            out.add("network" + (plain.size() == 1 ? " '" + plain.get(0) + "' is" : "s '" + String.join("', '", plain)
                    + "' are") + " part of the one flat pod network on Kubernetes: every pod reaches every other, so"
                    + " the isolation networks give on Docker is not kept; enforce it with NetworkPolicies of your own"
                    + " if it matters");
        }
        List<String> built = nodes.stream().filter(n -> n.container().build().isPresent()
                && !n.container().image().isEmpty()).map(n -> n.kind().label() + " '" + n.name() + "' runs '"
                + n.container().image() + "'").toList();
        if (!built.isEmpty()) {
            out.add("Kubernetes does not build images, so what Ordo builds on Docker is pulled as the cluster's"
                    + " registry has it: " + String.join(", ", built) + "; build and push " + (built.size() == 1
                    ? "that image" : "those images") + " first (docker build -t IMAGE CONTEXT && docker push IMAGE)");
        }
        return out;
    }
}
