package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secret files with an owner, a group and a mode, so that a service running as a non-root user can read its own. */
class DockerSecretsIT {
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("sec");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        docker.close();
    }

    @Test
    void aSecretFileCarriesTheOwnerGroupAndModeItWasGiven() {
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("db-password", "hunter2"))
                .job("inspect", j -> j.image(DockerTestSupport.IMAGE)
                        .secret(SecretRef.file("db-password").owner(999, 998).mode(0440))
                        .secret(SecretRef.file("db-password", "/etc/app/root-only"))
                        .shell("stat -c '%n %u:%g %a' /run/secrets/db-password /etc/app/root-only"))
                .build();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport r = Orchestrator.using(docker).listener(events::add).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.LOG).extracting(RunEvent::detail)
                .contains("/run/secrets/db-password 999:998 440", "/etc/app/root-only 0:0 400")
                .noneMatch(l -> l.contains("hunter2"));
    }
}
