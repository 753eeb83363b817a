package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.Secret;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.time.Duration;

/**
 * A JVM for {@link RealPostgresRecoveryIT}, on the local engine with the password of {@link RealPostgres}'s
 * deployment read from the environment variable {@code ORDO_TEST_PG_PASSWORD} (so it is on no command line). Every
 * run event, the containers' output lines included, is printed to standard output.
 *
 * <ul>
 *   <li>{@code kill NAME}: brings up db and a writer whose first run goes on for a minute after writing its rows
 *       ({@link RealPostgres#slowWriter}), with the backend a real deployment gets by default (no reaper), so the up
 *       waits until the test kills this JVM.</li>
 *   <li>{@code reap NAME}: the same with a reaper ({@link DockerBackend#withReaper()}), the writer's second run
 *       being the long one (its first ran before, in the test's own JVM).</li>
 *   <li>{@code scenario NAME}: up, down, up again on the same volume, down with the volumes; prints
 *       {@code VICTIM OK} when every step succeeded (run it with every logger at TRACE).</li>
 * </ul>
 *
 * <pre>{@code
 * ORDO_TEST_PG_PASSWORD=... java -cp ... dev.ordo.docker.RealPostgresVictim kill|reap|scenario NAME
 * }</pre>
 */
public final class RealPostgresVictim {
    private RealPostgresVictim() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        String name = args[1];
        Secret password = Secret.fromEnv(RealPostgres.SECRET, RealPostgres.PASSWORD_VARIABLE);
        try (DockerBackend docker = mode.equals("reap") ? DockerBackend.local().withReaper() : DockerBackend.local()) {
            Orchestrator ordo = Orchestrator.using(docker).timeout(Duration.ofMinutes(2)).listener(e -> {
                System.out.println("EVENT " + e);
                System.out.flush();
            });
            if (!mode.equals("scenario")) {
                ordo.up(RealPostgres.slowWriter(name, password, mode.equals("kill") ? 1 : 2).plan());
                System.out.println("VICTIM NOT KILLED");
                return;
            }
            Deployment d = RealPostgres.deployment(name, password);
            boolean ok = true;
            for (int round = 1; round <= 2; round++) {
                RunReport up = ordo.up(d.plan());
                System.out.println(up.render());
                RunReport down = ordo.down(d, DownOptions.defaults().removeVolumes(round == 2));
                System.out.println(down.render());
                ok &= up.succeeded() && down.succeeded();
            }
            System.out.println(ok ? "VICTIM OK" : "VICTIM FAILED");
        }
    }
}
