package dev.ordo;

import dev.ordo.internal.Names;
import dev.ordo.spi.support.DnsNames;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what one node's container holds at {@code build()}: ports, mounts, secret files, environment names,
 * health and liveness checks, resources and security as the Kubernetes API server would (quantities, requests
 * within limits, id ranges) and as Docker would (a memory limit of at least 6 MiB), the build and the networks.
 * Scheduling constraints are Kubernetes' alone and are checked when exported or prepared there.
 */
final class ContainerRules {
    /** Docker refuses a memory limit below this ("Minimum memory limit allowed is 6MB"). */
    static final long DOCKER_MIN_MEMORY = 6L * 1024 * 1024;
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?");

    private ContainerRules() {
    }

    static void check(Node n, String what, BiConsumer<String, String> problem) {
        Container c = n.container();
        ports(n, what, c, problem);
        mounts(n, what, c, problem);
        secretFiles(n, what, c, problem);
        for (String key : c.environment().keySet()) {
            if (key.isEmpty() || key.contains("=")) {
                problem.accept(n.name(), what + " has environment variable name '" + Names.cut(key)
                        + "'; use a non-empty name without '='");
            }
        }
        if (!c.stopSignal().isEmpty() && !c.stopSignal().matches("(SIG)?[A-Z][A-Z0-9+-]{1,15}|[1-9][0-9]?")) {
            problem.accept(n.name(), what + " has stop signal '" + Names.cut(c.stopSignal()) + "', which is not a"
                    + " signal; give its name (SIGINT, SIGQUIT, SIGRTMIN+3) or number (2)");
        }
        if (c.stopGracePeriod().isNegative()) {
            problem.accept(n.name(), what + " has a negative stop grace period; use zero or more");
        }
        Validator.notHuge(n, what, "stop grace period", c.stopGracePeriod(), problem);
        c.healthCheck().ifPresent(h -> health(n, what, h, "health check", problem));
        c.liveness().ifPresent(h -> health(n, what, h, "liveness check", problem));
        liveness(n, what, c, problem);
        resources(n, what, c.resources(), problem);
        security(n, what, c.security(), problem);
        c.build().ifPresent(b -> {
            if (b.context().isBlank()) {
                problem.accept(n.name(), what + " is built from an empty context; give the directory to build");
            }
            if (b.dockerfile().startsWith("/")) {
                problem.accept(n.name(), what + " is built with Dockerfile '" + Names.cut(b.dockerfile())
                        + "', an absolute path; give it relative to the build context");
            }
        });
        for (String net : c.networking().networks()) {
            if (!DnsNames.isName(net)) {
                problem.accept(n.name(), what + " joins network " + Names.quote(net) + ", which is not a valid name; "
                        + DnsNames.nameHint());
            }
        }
        for (String alias : c.networking().aliases()) {
            if (!DnsNames.isName(alias)) {
                problem.accept(n.name(), what + " has alias " + Names.quote(alias) + ", which is not a valid host"
                        + " name; " + DnsNames.nameHint());
            }
        }
    }

    private static void ports(Node n, String what, Container c, BiConsumer<String, String> problem) {
        for (Port p : c.ports()) {
            if (p.container() < 1 || p.container() > 65535) {
                problem.accept(n.name(), what + " has port " + p.container() + ", which is out of range; use 1..65535");
            }
            if (p.host() < 0 || p.host() > 65535) {
                problem.accept(n.name(), what + " publishes host port " + p.host()
                        + ", which is out of range; use 1..65535");
            }
            if (!p.protocol().equals("tcp") && !p.protocol().equals("udp")) {
                problem.accept(n.name(), what + " has port protocol '" + Names.cut(p.protocol()) + "'; use tcp or udp");
            }
            if (!p.hostIp().isEmpty() && PortClashes.address(p.hostIp()) == null) {
                problem.accept(n.name(), what + " publishes port " + p.container() + " on host address '"
                        + Names.cut(p.hostIp()) + "', which is not an IP address; give an IPv4 or IPv6 address such"
                        + " as 127.0.0.1 or ::1");
            } else if (!p.hostIp().isEmpty() && !p.isPublished()) {
                problem.accept(n.name(), what + " has host address " + p.hostIp() + " for port " + p.container()
                        + ", which it does not publish; give the host port too");
            }
        }
    }

    private static void mounts(Node n, String what, Container c, BiConsumer<String, String> problem) {
        for (Mount m : c.mounts()) {
            if (!m.target().startsWith("/")) {
                problem.accept(n.name(), what + " mounts at '" + Names.cut(m.target())
                        + "', which is not an absolute path; start it with /");
            }
            if (m.type() == Mount.Type.VOLUME && !DnsNames.isName(m.source())) {
                problem.accept(n.name(), what + " mounts volume " + Names.quote(m.source())
                        + ", whose name is not a valid name; " + DnsNames.nameHint());
            }
            if (m.type() == Mount.Type.BIND && m.source().isBlank()) {
                problem.accept(n.name(), what + " has a bind mount with no host path; give the host directory");
            }
            if (m.type() != Mount.Type.BIND && m.hasOptions()) {
                problem.accept(n.name(), what + " mounts " + m.type().name().toLowerCase(Locale.ROOT)
                        + " at '" + Names.cut(m.target()) + "' with relabelling or propagation, which only bind mounts"
                        + " have; drop them");
            }
        }
    }

    private static void secretFiles(Node n, String what, Container c, BiConsumer<String, String> problem) {
        for (SecretRef s : c.secrets()) {
            // secretAsEnv(name, "") leaves both the path and the variable empty
            if (s.isEnvironment() || s.path().isEmpty()) {
                if (s.environment().isEmpty() || s.environment().contains("=") || s.environment().indexOf('\0') >= 0) {
                    problem.accept(n.name(), what + " delivers secret " + Names.quote(s.secret())
                            + " as environment variable '" + Names.cut(s.environment()) + "'; use a non-empty name"
                            + " without '='");
                }
            } else {
                secretPath(s.path()).ifPresent(p -> problem.accept(n.name(), what + " delivers secret "
                        + Names.quote(s.secret()) + " at '" + Names.cut(s.path()) + "', which " + p));
                // ids fit a tar header's 7 octal digits
                if (s.uid() < 0 || s.gid() < 0 || s.uid() > 2_097_151 || s.gid() > 2_097_151 || s.mode() < 0
                        || s.mode() > 0777) {
                    problem.accept(n.name(), what + " delivers secret " + Names.quote(s.secret()) + " with owner "
                            + s.uid() + ":" + s.gid() + " and mode " + Integer.toOctalString(s.mode())
                            + "; use ids in 0..2097151 and a mode in 0..0777, e.g. .owner(999, 999).mode(0440)");
                }
            }
        }
    }

    /** Why a secret file path cannot be delivered, if it cannot: it ends up as a tar entry in the container. */
    static Optional<String> secretPath(String path) {
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            return Optional.of("is not an absolute file path; use e.g. /run/secrets/name");
        }
        if (path.indexOf('\0') >= 0 || Arrays.asList(path.split("/")).contains("..")) {
            return Optional.of("contains '..' or a NUL character; use a plain absolute path");
        }
        if (path.substring(1).getBytes(StandardCharsets.UTF_8).length > 100) {
            return Optional.of("is longer than 100 bytes; use a shorter path");
        }
        return Optional.empty();
    }

    private static void health(Node n, String what, HealthCheck h, String kind, BiConsumer<String, String> problem) {
        positive(n, what, kind + " interval", h.interval(), problem);
        positive(n, what, kind + " timeout", h.timeout(), problem);
        if (h.startPeriod().isNegative()) {
            problem.accept(n.name(), what + " has a negative " + kind + " start period; use zero or more");
        }
        Validator.notHuge(n, what, kind + " interval", h.interval(), problem);
        Validator.notHuge(n, what, kind + " timeout", h.timeout(), problem);
        Validator.notHuge(n, what, kind + " start period", h.startPeriod(), problem);
        if (h.retries() < 1) {
            problem.accept(n.name(), what + " has " + kind + " retries " + h.retries() + "; use 1 or more");
        }
        if (h.probe() instanceof HealthCheck.Http http) {
            port(n, what, kind, http.port(), problem);
            if (!http.path().startsWith("/")) {
                problem.accept(n.name(), what + " has HTTP " + kind + " path '" + Names.cut(http.path())
                        + "'; start it with /");
            }
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            port(n, what, kind, tcp.port(), problem);
        } else if (h.probe() instanceof HealthCheck.Command cmd && cmd.argv().isEmpty()) {
            problem.accept(n.name(), what + " has a command " + kind + " with no command; give the argv to run");
        } else if (h.probe() instanceof HealthCheck.LogLine log) {
            try {
                Pattern.compile(log.regex());
            } catch (PatternSyntaxException e) {
                problem.accept(n.name(), what + " has log-line " + kind + " '" + Names.cut(log.regex())
                        + "', which is not a valid regular expression: " + e.getDescription());
            }
        }
    }

    private static void port(Node n, String what, String kind, int port, BiConsumer<String, String> problem) {
        if (port < 1 || port > 65535) {
            problem.accept(n.name(), what + " has a " + kind + " on port " + port + ", which is out of range; use"
                    + " 1..65535");
        }
    }

    private static void positive(Node n, String what, String field, Duration d, BiConsumer<String, String> problem) {
        if (d.isNegative() || d.isZero()) {
            problem.accept(n.name(), what + " has " + field + " " + d + "; use a positive duration");
        }
    }

    private static void liveness(Node n, String what, Container c, BiConsumer<String, String> problem) {
        c.liveness().ifPresent(l -> {
            if (!(n instanceof Service)) {
                problem.accept(n.name(), what + " has a liveness check, but only a service is restarted when it fails;"
                        + " give the job an active deadline instead");
            }
            if (l.probe() instanceof HealthCheck.LogLine) {
                problem.accept(n.name(), what + " has a log-line liveness check, which no platform can probe again"
                        + " and again; use a command, HTTP or TCP check");
            }
        });
    }

    private static void resources(Node n, String what, Resources r, BiConsumer<String, String> problem) {
        BigDecimal cpuRequest = quantity(n, what, "CPU request", r.cpuRequest(), "250m or 0.5", problem);
        BigDecimal cpuLimit = quantity(n, what, "CPU limit", r.cpuLimit(), "2 or 1500m", problem);
        BigDecimal memoryRequest = quantity(n, what, "memory request", r.memoryRequest(), "256Mi or 1G", problem);
        BigDecimal memoryLimit = quantity(n, what, "memory limit", r.memoryLimit(), "1Gi or 512M", problem);
        withinLimit(n, what, "CPU", cpuRequest, r.cpuRequest(), cpuLimit, r.cpuLimit(), problem);
        withinLimit(n, what, "memory", memoryRequest, r.memoryRequest(), memoryLimit, r.memoryLimit(), problem);
        if (memoryLimit != null && memoryLimit.signum() > 0
                && memoryLimit.compareTo(BigDecimal.valueOf(DOCKER_MIN_MEMORY)) < 0) {
            problem.accept(n.name(), what + " has memory limit '" + r.memoryLimit() + "', below the 6Mi Docker "
                    + "accepts; give it at least 6Mi");
        }
        if (cpuLimit != null && cpuLimit.signum() > 0 && cpuLimit.compareTo(new BigDecimal("0.001")) < 0) {
            problem.accept(n.name(), what + " has CPU limit '" + r.cpuLimit() + "', below one thousandth of a core;"
                    + " give it at least 1m");
        }
    }

    private static void security(Node n, String what, Security s, BiConsumer<String, String> problem) {
        id(n, what, "user", s.runAsUser(), problem);
        id(n, what, "group", s.runAsGroup(), problem);
        if (!s.userName().isEmpty() && !USER.matcher(s.userName()).matches()) {
            problem.accept(n.name(), what + " runs as user '" + Names.cut(s.userName()) + "', which is not"
                    + " user[:group] (names or ids, e.g. redis:redis or 1000:0)");
        }
        OptionalLong uid = s.numericUser();
        if (s.runAsNonRoot() && uid.isPresent() && uid.getAsLong() == 0) {
            problem.accept(n.name(), what + " runs as user 0 (root) but must not run as root; give it another user,"
                    + " or drop nonRoot()");
        }
    }

    private static BigDecimal quantity(Node n, String what, String field, String value, String example,
                                       BiConsumer<String, String> problem) {
        if (value.isEmpty()) {
            return null;
        }
        BigDecimal v = Quantities.parse(value);
        if (v == null) {
            problem.accept(n.name(), what + " has " + field + " '" + Names.cut(value) + "', which is not a Kubernetes"
                    + " quantity; write it as e.g. " + example);
        } else if (v.signum() < 0) {
            problem.accept(n.name(), what + " has " + field + " '" + value + "', which is negative; use 0 or more");
            return null;
        }
        return v;
    }

    private static void withinLimit(Node n, String what, String resource, BigDecimal request, String requestText,
                                    BigDecimal limit, String limitText, BiConsumer<String, String> problem) {
        if (request != null && limit != null && request.compareTo(limit) > 0) {
            problem.accept(n.name(), what + " requests " + resource + " '" + requestText + "', more than its limit '"
                    + limitText + "'; Kubernetes requires a request within its limit, so lower the request or raise"
                    + " the limit");
        }
    }

    private static void id(Node n, String what, String field, OptionalLong id,
                           BiConsumer<String, String> problem) {
        if (id.isPresent() && (id.getAsLong() < 0 || id.getAsLong() > Security.MAX_ID)) {
            problem.accept(n.name(), what + " runs as " + field + " id " + id.getAsLong() + "; use 0.."
                    + Security.MAX_ID);
        }
    }
}
