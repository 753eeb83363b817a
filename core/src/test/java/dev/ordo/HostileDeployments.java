package dev.ordo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deployments of fewer than 1,000 nodes built to make validation slow or its messages long, if either could be:
 * names of 54,000 characters and dependencies on them with a typo, a thousand near-identical 63-character names
 * each depending on a misspelling of another (every "did you mean" compares), a thousand nodes publishing one port
 * on as many addresses, hundreds of triggers aimed at misspelt jobs, a cycle through every node, unicode names.
 * Used by {@code HostileInputProperties} and by the bench's {@code HostileInput}, which prints the timings.
 *
 * <pre>{@code
 * Deployment.Builder b = HostileDeployments.of(new Random(42));
 * }</pre>
 */
public final class HostileDeployments {
    /** The shapes, one per case, chosen by the random source. */
    public static final List<String> SHAPES = List.of("long names", "typo storm", "port storm", "trigger storm",
            "cycle", "unicode", "mixed");

    private HostileDeployments() {
    }

    /** A hostile deployment of a shape {@code r} picks. */
    public static Deployment.Builder of(Random r) {
        return of(SHAPES.get(r.nextInt(SHAPES.size())), r);
    }

    /** A hostile deployment of shape {@code shape}. */
    public static Deployment.Builder of(String shape, Random r) {
        int n = 1 + r.nextInt(999);
        Deployment.Builder d = Deployment.builder(r.nextInt(10) == 0 ? "x".repeat(54_000) : "hostile");
        switch (shape) {
            case "long names" -> {
                String longName = "n".repeat(54_000 - r.nextInt(100));
                d.service(longName, s -> s.image("x:1"));
                for (int i = 0; i < n; i++) {
                    String typo = longName.substring(0, longName.length() - 1) + (char) ('a' + r.nextInt(26));
                    d.service("s" + i, s -> s.image("x:1").dependsOn(typo));
                }
            }
            case "typo storm" -> {
                String prefix = "a".repeat(50);
                for (int i = 0; i < n; i++) {
                    String target = prefix + String.format("%013d", (i * 7919L + 1) % n) + "q";
                    d.service(prefix + String.format("%013d", i), s -> s.image("x:1").dependsOn(target));
                }
            }
            case "port storm" -> {
                for (int i = 0; i < n; i++) {
                    String ip = r.nextInt(20) == 0 ? "" : r.nextBoolean() ? "127." + (i / 250) + "." + (i % 250) + ".1"
                            : "::" + Integer.toHexString(i + 1);
                    d.service("p" + i, s -> s.image("x:1").port(Port.published(80, 80).onHostIp(ip)));
                }
            }
            case "trigger storm" -> {
                for (int i = 0; i < n; i++) {
                    String job = "job-" + i;
                    d.job(job, j -> j.image("x:1").onDemand());
                    if (i % 2 == 0) {
                        d.trigger("t" + i, t -> t.target(job + "x").every(Duration.ofMinutes(1)));
                    }
                }
            }
            case "cycle" -> {
                for (int i = 0; i < n; i++) {
                    String next = "c" + ((i + 1) % n);
                    d.service("c" + i, s -> s.image("x:1").dependsOn(next));
                }
            }
            case "unicode" -> {
                for (int i = 0; i < n; i++) {
                    String name = new String(Character.toChars(0x1F600 + r.nextInt(80))).repeat(1 + r.nextInt(40));
                    d.service(name + i, s -> s.image("x:1").dependsOn(name));
                }
            }
            default -> {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add(r.nextInt(50) == 0 ? "m".repeat(1000 + r.nextInt(60_000)) : "m" + i);
                }
                for (int i = 0; i < n; i++) {
                    String dep = names.get(r.nextInt(n)) + (r.nextBoolean() ? "" : "z");
                    d.service(names.get(i), s -> s.image("x:1").dependsOn(dep).profiles("p" + r.nextInt(3)));
                }
            }
        }
        return d;
    }
}
