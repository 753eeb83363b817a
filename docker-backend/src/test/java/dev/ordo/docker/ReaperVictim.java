package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import java.time.Duration;

/**
 * A JVM for {@link ReaperIT} to kill: brings a deployment up as a rehearsal (reaper on by default) on the local
 * engine, one of whose services never gets healthy, so the up waits until it is killed; prints {@code STARTED} once
 * a container runs. With argument {@code close}, it instead waits for everything to be up and closes its backend.
 *
 * <pre>{@code
 * java -cp ... dev.ordo.docker.ReaperVictim NAME [close]
 * }</pre>
 */
public final class ReaperVictim {
    private ReaperVictim() {
    }

    public static void main(String[] args) {
        String name = args[0];
        boolean close = args.length > 1 && args[1].equals("close");
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image("db:1").port(5432).volume("data", "/data")
                        .healthCheck(HealthCheck.tcp(5432).interval(Duration.ofSeconds(1)).retries(600)))
                .service("cache", s -> s.image("cache:1"))
                .service("api", s -> s.image("api:1").dependsOn("db", dev.ordo.Condition.HEALTHY))
                .build();
        StandIns standIns = close ? StandIns.defaults().readyAfter(Duration.ofMillis(200))
                : StandIns.defaults().neverReady("db");
        DockerBackend docker = DockerBackend.local().withStandIns(standIns);
        Orchestrator.using(docker).timeout(Duration.ofMinutes(10)).listener(e -> {
            if (e.type() == RunEvent.Type.STARTED) {
                System.out.println("STARTED " + e.node());
                System.out.flush();
            }
        }).up(d.plan());
        docker.close();
        System.out.println("CLOSED");
        System.out.flush();
    }
}
