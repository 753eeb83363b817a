package dev.ordo.junit;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.docker.StandIns;
import java.time.Duration;

/**
 * The three-node test deployment of the README's comparison: a database, a migration job, an API needing both, all
 * on Ordo's busybox stand-in image (no registry here). The shells trap SIGTERM because a container's PID 1 ignores
 * signals it has no handler for, and would otherwise be killed only after its stop grace period.
 */
final class Shop {
    private Shop() {
    }

    /** On a real engine the image must be there: Ordo imports its busybox stand-in image, no registry needed. */
    static void ensureImage() {
        try (dev.ordo.docker.DockerBackend docker = dev.ordo.docker.DockerBackend.local()) {
            docker.ensureStandInImage();
        }
    }

    /**
     * The same three nodes with shells that do not handle SIGTERM, as most PID 1 shells and many programs: a
     * graceful stop of each waits out its 10 s grace period; the test deployment's default teardown kills at once.
     */
    static Deployment untrapped() {
        String image = StandIns.IMAGE;
        HealthCheck fast = HealthCheck.tcp(5432).interval(Duration.ofMillis(200)).retries(50);
        return Deployment.builder("shop")
                .service("db", s -> s.image(image).port(5432).healthCheck(fast)
                        .shell("echo db up; nc -ll -p 5432 -e echo ready"))
                .job("migrate", j -> j.image(image).dependsOn("db", HEALTHY)
                        .shell("echo migrating; nc db 5432 </dev/null && echo migrated"))
                .service("api", s -> s.image(image).port(8080).dependsOn("db", HEALTHY)
                        .dependsOn("migrate", COMPLETED_SUCCESSFULLY)
                        .healthCheck(HealthCheck.http(8080, "/").interval(Duration.ofMillis(200)).retries(50))
                        .shell("httpd -f -p 8080 -h /www"))
                .build();
    }

    static Deployment deployment() {
        String image = StandIns.IMAGE;
        HealthCheck fast = HealthCheck.tcp(5432).interval(Duration.ofMillis(200)).retries(50);
        return Deployment.builder("shop")
                .service("db", s -> s.image(image).port(5432).healthCheck(fast)
                        .shell("echo db up; trap 'exit 0' TERM; nc -ll -p 5432 -e echo ready & wait"))
                .job("migrate", j -> j.image(image).dependsOn("db", HEALTHY)
                        .shell("echo migrating; nc db 5432 </dev/null && echo migrated"))
                .service("api", s -> s.image(image).port(8080).dependsOn("db", HEALTHY)
                        .dependsOn("migrate", COMPLETED_SUCCESSFULLY)
                        .healthCheck(HealthCheck.http(8080, "/").interval(Duration.ofMillis(200)).retries(50))
                        .shell("trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"))
                .build();
    }
}
