package dev.ordo;

import java.math.BigDecimal;
import java.util.function.BiConsumer;

/**
 * Checks a container's liveness check, resources and security context at {@code build()}, as the Kubernetes API
 * server would (quantities, requests within limits, id ranges) and as Docker would (a memory limit of at least
 * 6 MiB). Scheduling constraints are Kubernetes' alone and are checked when exported or prepared there.
 */
final class ContainerRules {
    /** Docker refuses a memory limit below this ("Minimum memory limit allowed is 6MB"). */
    static final long DOCKER_MIN_MEMORY = 6L * 1024 * 1024;

    private ContainerRules() {
    }

    static void check(Node n, String what, BiConsumer<String, String> problem) {
        Container c = n.container();
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
        Resources r = c.resources();
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
        Security s = c.security();
        id(n, what, "user", s.runAsUser(), problem);
        id(n, what, "group", s.runAsGroup(), problem);
        if (s.runAsNonRoot() && s.runAsUser().isPresent() && s.runAsUser().getAsLong() == 0) {
            problem.accept(n.name(), what + " runs as user 0 but must not run as root; give it another user id, or"
                    + " drop nonRoot()");
        }
    }

    private static BigDecimal quantity(Node n, String what, String field, String value, String example,
                                       BiConsumer<String, String> problem) {
        if (value.isEmpty()) {
            return null;
        }
        BigDecimal v = Quantities.parse(value);
        if (v == null) {
            problem.accept(n.name(), what + " has " + field + " '" + value + "', which is not a Kubernetes quantity;"
                    + " write it as e.g. " + example);
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

    private static void id(Node n, String what, String field, java.util.OptionalLong id,
                           BiConsumer<String, String> problem) {
        if (id.isPresent() && (id.getAsLong() < 0 || id.getAsLong() > Security.MAX_ID)) {
            problem.accept(n.name(), what + " runs as " + field + " id " + id.getAsLong() + "; use 0.."
                    + Security.MAX_ID);
        }
    }
}
