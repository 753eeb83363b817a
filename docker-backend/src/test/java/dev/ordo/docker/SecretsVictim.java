package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;

/**
 * A JVM for {@link DockerSecretsIT} that runs with every logger at TRACE: brings up a deployment whose secret comes
 * from the environment variable {@code ORDO_TEST_SECRET} (so the value is on no command line), then down.
 *
 * <pre>{@code
 * ORDO_TEST_SECRET=... java -Dorg.slf4j.simpleLogger.defaultLogLevel=trace -cp ... dev.ordo.docker.SecretsVictim NAME
 * }</pre>
 */
public final class SecretsVictim {
    private SecretsVictim() {
    }

    public static void main(String[] args) {
        Deployment d = Deployment.builder(args[0])
                .secret(Secret.fromEnv("token", "ORDO_TEST_SECRET"))
                .job("reader", j -> j.image(DockerTestSupport.IMAGE)
                        .secret(SecretRef.file("token").owner(999, 999).mode(0440))
                        .shell("wc -c < /run/secrets/token"))
                .build();
        try (DockerBackend docker = DockerBackend.local().withoutReaper()) {
            RunReport up = Orchestrator.using(docker).up(d.plan());
            System.out.println(up.render());
            Orchestrator.using(docker).down(d, DownOptions.defaults().removeVolumes(true));
            System.out.println(up.succeeded() ? "VICTIM OK" : "VICTIM FAILED");
        }
    }
}
