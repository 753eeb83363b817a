package dev.ordo.examples;

import dev.ordo.Container;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Security;
import dev.ordo.Service;
import dev.ordo.docker.StandIns;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Single nodes turned into busybox stand-ins ({@link StandIns#IMAGE}), for deployments that run real servers next to
 * stand-ins on one engine (the Docker backend's {@code withStandIns} replaces every node). A stand-in keeps the
 * node's name, dependencies, profiles, pool, restart policy, environment, ports, volumes and secrets, and its
 * health check's kind and timing: an http or tcp check is answered by busybox httpd on the same port, a command
 * or log-line check passes once the stand-in is ready. A service is ready as soon as it runs {@code prelude} (a
 * shell fragment that may end it with a non-zero code, e.g. a first connection to a real server); a job runs
 * {@code prelude}, prints its {@code MODE} and {@code EVENT_DATE} when set, and exits with the value of
 * {@code STAND_IN_EXIT_<NAME>} (e.g. {@code STAND_IN_EXIT_PROCESSING=1}; 0 when unset), so that a trigger's
 * override can make one step of a run fail.
 *
 * <pre>{@code
 * Deployment mixed = deployment.toBuilder().replace(StandInNodes.of(deployment.requireNode("webui"), "")).build();
 * }</pre>
 */
final class StandInNodes {
    /** The file a ready stand-in has made; its command checks test for it. */
    static final String READY_FILE = "/tmp/ordo-ready";
    /** The line a ready stand-in prints; its log-line checks wait for it. */
    static final String READY_LINE = "ordo stand-in ready";

    private StandInNodes() {
    }

    /** {@code node} as a stand-in that runs {@code prelude} first (may be empty). */
    static Node of(Node node, String prelude) {
        Container c = node.container();
        Optional<HealthCheck> check = c.healthCheck().map(StandInNodes::check);
        String script = node instanceof Job ? jobScript(node.name(), prelude) : serviceScript(node.name(), prelude,
                check);
        Container standIn = new Container(StandIns.IMAGE, List.of("/bin/sh", "-c", script), List.of(),
                c.environment(), c.ports(), c.mounts(), check, c.secrets(), c.stopGracePeriod(), "", Optional.empty(),
                c.resources(), Security.none(), c.scheduling(), Optional.empty(), c.networking(), "");
        if (node instanceof Service s) {
            return new Service(s.name(), standIn, s.replicas(), s.restartPolicy(), s.dependencies(), s.profiles(),
                    s.pool(), s.labels(), s.maxRestarts());
        }
        Job j = (Job) node;
        return new Job(j.name(), standIn, j.backoffLimit(), j.activeDeadline(), j.schedule(), j.dependencies(),
                j.profiles(), j.pool(), j.labels(), j.onDemand());
    }

    /** The variable whose value a job's stand-in exits with. */
    static String exitVariable(String job) {
        return "STAND_IN_EXIT_" + job.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static HealthCheck check(HealthCheck hc) {
        HealthCheck.Probe p = hc.probe();
        if (p instanceof HealthCheck.Command || p instanceof HealthCheck.ImageDefined) {
            p = new HealthCheck.Command(List.of("test", "-e", READY_FILE));
        } else if (p instanceof HealthCheck.LogLine) {
            p = new HealthCheck.LogLine("^" + Pattern.quote(READY_LINE) + "$");
        }
        return new HealthCheck(p, hc.interval(), hc.timeout(), hc.retries(), hc.startPeriod());
    }

    private static String jobScript(String name, String prelude) {
        String exit = exitVariable(name);
        return "echo 'stand-in for job " + name + "'\n"
                + prelude
                + "[ -z \"${MODE:-}\" ] || echo \"MODE=$MODE\"\n"
                + "[ -z \"${EVENT_DATE:-}\" ] || echo \"EVENT_DATE=$EVENT_DATE\"\n"
                + "code=${" + exit + ":-0}\n"
                + "[ \"$code\" = 0 ] || echo \"stand-in for job " + name + ": failing with exit code $code (" + exit
                + ")\" >&2\n"
                + "exit $code\n";
    }

    private static String serviceScript(String name, String prelude, Optional<HealthCheck> check) {
        StringBuilder s = new StringBuilder("trap 'exit 0' TERM INT\n")
                .append("echo 'stand-in for service ").append(name).append("'\n")
                .append(prelude);
        HealthCheck.Probe p = check.map(HealthCheck::probe).orElse(null);
        if (p instanceof HealthCheck.Http h) {
            String path = h.path().isEmpty() || h.path().endsWith("/") ? h.path() + "index.html" : h.path();
            path = (path.startsWith("/") ? path : "/" + path).replaceAll("[?#].*$", "").replace("'", "");
            s.append("mkdir -p \"$(dirname '/www").append(path).append("')\" && echo ok > '/www").append(path)
                    .append("'\nhttpd -p ").append(h.port()).append(" -h /www\n");
        } else if (p instanceof HealthCheck.Tcp t) {
            s.append("mkdir -p /www && httpd -p ").append(t.port()).append(" -h /www\n");
        }
        return s.append("touch ").append(READY_FILE).append('\n')
                .append("echo '").append(READY_LINE).append("'\n")
                .append("while :; do sleep 3600 & wait $!; done\n").toString();
    }
}
