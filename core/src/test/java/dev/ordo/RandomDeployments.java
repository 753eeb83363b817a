package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Random deployments, mostly wrong, for robustness properties: names, edges, conditions, images, ports, replica
 * counts, durations, cron fields, pools, secrets and triggers drawn from lists whose first value is sane and whose
 * others include the empty, the huge, the unicode, the negative and the largest.
 *
 * <pre>{@code
 * Deployment.Builder b = RandomDeployments.of(new Random(seed));
 * }</pre>
 */
public final class RandomDeployments {
    private static final List<String> NAMES = List.of("db", "web", "migrate", "a", "", " ", "DB", "web ui", "-x",
            "x-", "ünï", "n.1", "a_b", "x".repeat(64), "y".repeat(40_000), "db-table-creator", "db-tables", "0db");
    private static final List<String> IMAGES = List.of("pg:16", "", " ", "UPPER:1", "a b", "registry:5000/x/y:1.0",
            "img@sha256:" + "a".repeat(64), "x".repeat(5000));
    private static final List<Duration> DURATIONS = List.of(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(1),
            Duration.ofMinutes(10), Duration.ofSeconds(-1), Duration.ofDays(1_000_000),
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofSeconds(Long.MIN_VALUE), Duration.ofNanos(1));
    private static final List<String> CRONS = List.of("0 2 * * *", "*/99999999999 * * * *", "61 * * * *", "", "@daily",
            "* * * * * *", "0 25 * * *", "*/0 * * * *", "1-99999999999 * * * *", "x", "0 2 * * MON-FRI",
            "0 0 31 2 *", "@reboot", "9".repeat(30) + " * * * *");
    private static final List<Integer> INTS = List.of(2, -1, 0, 1, 3, 80, 65_535, 65_536, Integer.MAX_VALUE,
            Integer.MIN_VALUE);
    private static final List<String> PATHS = List.of("/run/secrets/x", "", "../etc/passwd", "a/../../b", "/",
            "x".repeat(300), "dir/file", "/abs/ok", "ü/ö", "a\u0000b");
    private static final List<String> ENV_KEYS = List.of("PATH", "", "A=B", "x y", "MODE", "_", "ü");

    /** Mostly the first (sane) value, so that many deployments get as far as planning; else any. */
    private static <T> T pick(Random r, List<T> xs) {
        return r.nextInt(8) < 5 ? xs.get(0) : xs.get(r.nextInt(xs.size()));
    }

    private RandomDeployments() {
    }

    /** A random deployment builder, determined by {@code r}. */
    public static Deployment.Builder of(Random r) {
        return randomDeployment(r);
    }

    private static Deployment.Builder randomDeployment(Random r) {
        Deployment.Builder b = Deployment.builder(r.nextInt(10) == 0 ? pick(r, NAMES) : "fuzz");
        // defined: pools p0, p1 and secrets s0, s1 (mostly); nodes refer to them (mostly) or to anything
        for (int i = 0; i < 2; i++) {
            b.pool(r.nextInt(8) > 0 ? "p" + i : pick(r, NAMES), pick(r, INTS));
            b.secret(Secret.literal(r.nextInt(8) > 0 ? "s" + i : pick(r, NAMES), r.nextInt(8) > 0 ? "s3cr3t" : ""));
        }
        int nodes = r.nextInt(12);
        for (int i = 0; i < nodes; i++) {
            String name = r.nextInt(8) == 0 ? pick(r, NAMES) : "n" + i;
            int self = i;
            if (r.nextBoolean()) {
                b.service(name, s -> {
                    common(r, s, self);
                    if (r.nextInt(3) == 0) {
                        s.replicas(pick(r, INTS));
                    }
                    if (r.nextInt(3) == 0) {
                        s.restart(pick(r, List.of(RestartPolicy.values())));
                    }
                });
            } else {
                b.job(name, j -> {
                    common(r, j, self);
                    if (r.nextInt(3) == 0) {
                        j.retries(pick(r, INTS));
                    }
                    if (r.nextInt(3) == 0) {
                        j.activeDeadline(pick(r, DURATIONS));
                    }
                    if (r.nextInt(5) == 0) {
                        j.schedule(pick(r, CRONS));
                    } else if (r.nextInt(5) == 0) {
                        j.onDemand();
                    }
                });
            }
        }
        int triggers = nodes == 0 ? 0 : r.nextInt(3);
        for (int i = 0; i < triggers; i++) {
            b.trigger(r.nextInt(8) > 0 ? "t" + i : pick(r, NAMES), t -> {
                t.target(r.nextInt(8) > 0 ? "n" + r.nextInt(nodes) : pick(r, NAMES));
                switch (r.nextInt(3)) {
                    case 0 -> t.cron(pick(r, CRONS));
                    case 1 -> t.every(pick(r, DURATIONS));
                    default -> t.manual();
                }
                if (r.nextBoolean()) {
                    t.env(pick(r, ENV_KEYS), "v");
                }
                if (r.nextInt(4) == 0) {
                    t.keep(pick(r, INTS));
                }
                if (r.nextInt(4) == 0) {
                    t.concurrencyKey(pick(r, NAMES));
                }
            });
        }
        return b;
    }

    private static void common(Random r, NodeBuilder<?> n, int self) {
        n.image(pick(r, IMAGES));
        int deps = self == 0 ? 0 : r.nextInt(3);
        for (int k = 0; k < deps; k++) {
            // mostly an earlier node (a DAG); sometimes a later one or itself (cycles), or any name
            String target = r.nextInt(10) > 1 ? "n" + r.nextInt(self) : r.nextBoolean() ? "n" + (self + r.nextInt(3))
                    : pick(r, NAMES);
            n.dependsOn(target, r.nextInt(3) > 0 ? Condition.STARTED : pick(r, List.of(Condition.values())));
        }
        if (r.nextInt(3) == 0) {
            n.port(r.nextInt(4) > 0 ? 1000 + self : pick(r, INTS));
        }
        if (r.nextInt(5) == 0) {
            n.port(pick(r, INTS), pick(r, INTS));
        }
        if (r.nextInt(3) == 0) {
            n.env(pick(r, ENV_KEYS), "v");
        }
        if (r.nextInt(4) == 0) {
            n.healthCheck(pick(r, List.of(HealthCheck.tcp(pick(r, INTS)), HealthCheck.command("true"),
                            HealthCheck.http(pick(r, INTS), pick(r, PATHS))))
                    .interval(pick(r, DURATIONS)).timeout(pick(r, DURATIONS)).retries(pick(r, INTS))
                    .startPeriod(pick(r, DURATIONS)));
        }
        if (r.nextInt(4) == 0) {
            n.stopGracePeriod(pick(r, DURATIONS));
        }
        if (r.nextInt(4) == 0) {
            n.secret(r.nextInt(8) > 0 ? "s" + r.nextInt(2) : pick(r, NAMES), pick(r, PATHS));
        }
        if (r.nextInt(5) == 0) {
            n.secretAsEnv(r.nextInt(8) > 0 ? "s" + r.nextInt(2) : pick(r, NAMES), pick(r, ENV_KEYS));
        }
        if (r.nextInt(4) == 0) {
            n.volume(pick(r, NAMES), pick(r, PATHS));
        }
        if (r.nextInt(4) == 0) {
            n.profiles(pick(r, NAMES));
        }
        if (r.nextInt(4) == 0) {
            n.pool(r.nextInt(8) > 0 ? "p" + r.nextInt(2) : pick(r, NAMES));
        }
    }
}
