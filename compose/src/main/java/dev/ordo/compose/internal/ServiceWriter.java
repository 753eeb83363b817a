package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.Build;
import dev.ordo.Container;
import dev.ordo.Dependency;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Port;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * One node as a compose service, for {@link dev.ordo.compose.ComposeExport}: what Compose has keys for in them
 * (written so that docker-compose 1.x reads them too: short-syntax mounts with their options, host addresses in
 * ports, IPv6 in brackets), and what it has none for in the service's {@code x-ordo}. Dollar signs are escaped.
 *
 * <pre>{@code
 * ObjectNode service = ServiceWriter.write(node, volumesUsed, problems);
 * }</pre>
 */
public final class ServiceWriter {
    private static final ObjectMapper YAML = new ObjectMapper();

    private ServiceWriter() {
    }

    static String esc(String s) {
        return s.replace("$", "$$");
    }

    /** {@code n} as a compose service; named volumes it mounts are added to {@code volumes}. */
    public static ObjectNode write(Node n, TreeSet<String> volumes, List<String> problems) {
        ObjectNode s = YAML.createObjectNode();
        ObjectNode ext = YAML.createObjectNode();
        Container c = n.container();
        if (!c.image().isEmpty()) {
            s.put("image", esc(c.image()));
        }
        c.build().ifPresent(b -> build(s, b));
        if (!c.entrypoint().isEmpty()) {
            c.entrypoint().forEach(s.putArray("entrypoint")::add);
            escape((ArrayNode) s.get("entrypoint"));
        }
        if (!c.command().isEmpty()) {
            c.command().forEach(s.putArray("command")::add);
            escape((ArrayNode) s.get("command"));
        }
        if (!c.environment().isEmpty()) {
            ObjectNode env = s.putObject("environment");
            c.environment().forEach((k, v) -> env.put(k, esc(v)));
        }
        for (Port p : c.ports()) {
            String proto = p.protocol().equals("tcp") ? "" : "/" + p.protocol();
            if (p.isPublished()) {
                String ip = p.hostIp().isEmpty() ? "" : (p.hostIp().contains(":") ? "[" + p.hostIp() + "]"
                        : p.hostIp()) + ":";
                array(s, "ports").add(ip + p.host() + ":" + p.container() + proto);
            } else {
                array(s, "expose").add(p.container() + proto);
            }
        }
        for (Mount m : c.mounts()) {
            String ro = options(m);
            switch (m.type()) {
                case VOLUME -> {
                    volumes.add(m.source());
                    array(s, "volumes").add(m.source() + ":" + m.target() + ro);
                }
                case BIND -> array(s, "volumes").add(esc(m.source()) + ":" + m.target() + ro);
                case TMPFS -> array(s, "tmpfs").add(m.target());
                default -> problems.add("node '" + n.name() + "': mount type " + m.type() + " has no Compose form");
            }
        }
        c.healthCheck().ifPresent(h -> {
            ObjectNode hc = health(h, ext);
            if (h.probe() instanceof HealthCheck.LogLine) {
                hc.remove("test");
                ((ObjectNode) ext.get("healthcheck")).setAll(hc); // Compose cannot watch a log: Ordo alone reads it
            } else {
                s.set("healthcheck", hc);
            }
        });
        dependencies(n, s, ext);
        if (!n.profiles().isEmpty()) {
            new TreeSet<>(n.profiles()).forEach(array(s, "profiles")::add);
        }
        for (SecretRef r : c.secrets()) {
            if (r.isEnvironment()) {
                problems.add("node '" + n.name() + "' reads secret '" + r.secret() + "' from environment variable "
                        + r.environment() + ", which Compose cannot do; mount it as a file (.secret(name))");
                continue;
            }
            ObjectNode x = array(s, "secrets").addObject();
            x.put("source", r.secret()).put("target", r.path()).put("uid", Integer.toString(r.uid()))
                    .put("gid", Integer.toString(r.gid())).put("mode", r.mode());
        }
        if (!c.workingDir().isEmpty()) {
            s.put("working_dir", c.workingDir());
        }
        if (!c.stopSignal().isEmpty()) {
            s.put("stop_signal", c.stopSignal());
        }
        if (!c.stopGracePeriod().equals(Container.DEFAULT_STOP_GRACE_PERIOD)) {
            s.put("stop_grace_period", ComposeDurations.format(c.stopGracePeriod()));
        }
        if (!n.labels().isEmpty() || n instanceof Job) {
            ObjectNode labels = s.putObject("labels");
            n.labels().forEach((k, v) -> labels.put(k, esc(v)));
            if (n instanceof Job) {
                labels.put(ComposeNames.KIND_LABEL, "job");
            }
        }
        n.pool().ifPresent(p -> ext.put("pool", p));
        ProcessKeys.write(n, s, ext);
        networks(c, s);
        c.liveness().ifPresent(l -> {
            // Compose's healthcheck never restarts a container: the liveness check lives in x-ordo, written as a
            // service's healthcheck would be, so that the importer reads it with the same code
            ObjectNode live = ext.putObject("liveness");
            ObjectNode liveExt = YAML.createObjectNode();
            live.set("healthcheck", health(l, liveExt));
            if (liveExt.size() > 0) {
                live.set(ComposeNames.EXTENSION, liveExt);
            }
        });
        if (n instanceof Service svc) {
            s.put("restart", switch (svc.restartPolicy()) {
                case NO -> "no";
                case ON_FAILURE -> svc.maxRestarts() > 0 ? "on-failure:" + svc.maxRestarts() : "on-failure";
                case UNLESS_STOPPED -> "unless-stopped";
                case ALWAYS -> "always";
            });
            if (svc.replicas() != 1) {
                (s.has("deploy") ? (ObjectNode) s.get("deploy") : s.putObject("deploy")).put("replicas", svc.replicas());
            }
        } else if (n instanceof Job job) {
            s.put("restart", "no"); // Ordo retries a job as new attempts, not Compose restarts
            ext.put("kind", "job");
            if (job.backoffLimit() > 0) {
                ext.put("retries", job.backoffLimit());
            }
            job.activeDeadline().ifPresent(d -> ext.put("active_deadline", ComposeDurations.format(d)));
            if (job.isOnDemand() || job.isScheduled()) {
                problems.add("job '" + n.name() + "' runs on demand or on a schedule, which Compose cannot express;"
                        + " run it as a living deployment (Orchestrator.start) instead");
            }
        }
        if (ext.size() > 0) {
            s.set(ComposeNames.EXTENSION, ext);
        }
        return s;
    }

    private static void escape(ArrayNode a) {
        for (int i = 0; i < a.size(); i++) {
            a.set(i, a.textNode(esc(a.get(i).asText())));
        }
    }

    private static ArrayNode array(ObjectNode s, String key) {
        return s.has(key) ? (ArrayNode) s.get(key) : s.putArray(key);
    }

    private static ObjectNode health(HealthCheck h, ObjectNode ext) {
        ObjectNode hc = YAML.createObjectNode();
        ArrayNode test = h.probe() instanceof HealthCheck.ImageDefined ? null : hc.putArray("test");
        if (h.probe() instanceof HealthCheck.ImageDefined) {
            // no test: Compose keeps the image's own HEALTHCHECK, with the timings below (no disable: false,
            // which docker-compose 1.x reads as disable)
        } else if (h.probe() instanceof HealthCheck.Command cmd) {
            test.add("CMD");
            cmd.argv().forEach(a -> test.add(esc(a)));
        } else if (h.probe() instanceof HealthCheck.Http http) {
            ext.putObject("healthcheck").putObject("http").put("port", http.port()).put("path", http.path());
            test.add("CMD-SHELL").add("wget -q -O /dev/null http://localhost:" + http.port() + esc(http.path()));
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            ext.putObject("healthcheck").put("tcp", tcp.port());
            test.add("CMD-SHELL").add("nc -z localhost " + tcp.port());
        } else if (h.probe() instanceof HealthCheck.LogLine log) {
            ext.putObject("healthcheck").put("log", log.regex());
        }
        hc.put("interval", ComposeDurations.format(h.interval()));
        hc.put("timeout", ComposeDurations.format(h.timeout()));
        hc.put("retries", h.retries());
        hc.put("start_period", ComposeDurations.format(h.startPeriod()));
        return hc;
    }

    private static void dependencies(Node n, ObjectNode s, ObjectNode ext) {
        if (n.dependencies().isEmpty()) {
            return;
        }
        ObjectNode deps = s.putObject("depends_on");
        for (Dependency d : n.dependencies()) {
            deps.putObject(d.target()).put("condition", switch (d.condition()) {
                case STARTED -> "service_started";
                case HEALTHY -> "service_healthy";
                case COMPLETED_SUCCESSFULLY -> "service_completed_successfully";
            });
            if (!d.required() || d.restart()) {
                // Compose 2.20+ has these keys, but docker-compose 1.x refuses them: Ordo keeps them here
                ObjectNode x = ext.has("depends_on") ? (ObjectNode) ext.get("depends_on") : ext.putObject("depends_on");
                x.putObject(d.target()).put("required", d.required()).put("restart", d.restart());
            }
        }
    }

    /** A short-syntax mount's options: ro, the SELinux relabel, the propagation. */
    private static String options(Mount m) {
        List<String> o = new ArrayList<>();
        if (m.readOnly()) {
            o.add("ro");
        }
        if (m.relabel() != Mount.Relabel.NONE) {
            o.add(m.relabel() == Mount.Relabel.SHARED ? "z" : "Z");
        }
        if (m.propagation() != Mount.Propagation.DEFAULT) {
            o.add(m.propagation().name().toLowerCase(Locale.ROOT));
        }
        return o.isEmpty() ? "" : ":" + String.join(",", o);
    }

    private static void build(ObjectNode s, Build b) {
        ObjectNode o = s.putObject("build");
        o.put("context", esc(b.context()));
        if (!b.dockerfile().isEmpty()) {
            o.put("dockerfile", esc(b.dockerfile()));
        }
        if (!b.args().isEmpty()) {
            ObjectNode args = o.putObject("args");
            b.args().forEach((k, v) -> args.put(k, esc(v)));
        }
        if (!b.target().isEmpty()) {
            o.put("target", b.target());
        }
        if (!b.labels().isEmpty()) {
            ObjectNode labels = o.putObject("labels");
            b.labels().forEach((k, v) -> labels.put(k, esc(v)));
        }
        if (b.policy() == Build.Policy.ALWAYS) {
            s.put("pull_policy", "build");
        }
    }

    private static void networks(Container c, ObjectNode s) {
        if (c.networking().isDefault()) {
            return;
        }
        ObjectNode nets = s.putObject("networks");
        for (String net : c.networking().joined()) {
            ObjectNode x = nets.putObject(net);
            if (!c.networking().aliases().isEmpty()) {
                ArrayNode a = x.putArray("aliases");
                c.networking().aliases().forEach(a::add);
            }
        }
    }
}
