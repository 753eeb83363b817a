package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.run.DownOptions;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * A program may exit right after {@code LiveDeployment.close()}: the containers of the runs that finished are gone
 * by then, not merely queued for removal (issue 22, defect 1, which left one behind in about half the tries). Each
 * repetition looks at the engine with its own client the moment close returns, without closing the backend first.
 */
class DockerLivingCloseIT {
    @RepeatedTest(3)
    @Timeout(120)
    void closeReturnsOnlyOnceTheFinishedRunsContainersAreRemoved() {
        Deployment d = Deployment.builder(DockerTestSupport.uniqueName("close"))
                .job("step", j -> j.image(DockerTestSupport.IMAGE).onDemand().shell("echo done"))
                .trigger("now", t -> t.target("step").manual())
                .build();
        DockerBackend docker = DockerTestSupport.backend();
        try {
            LiveDeployment live = Orchestrator.using(docker).start(d.plan());
            RunReport run = live.trigger("now").join();
            assertThat(run.succeeded()).as(run.render()).isTrue();
            live.close();
            assertThat(DockerTestSupport.containers(d.name())).as("containers of %s right after close", d.name())
                    .isEmpty();
        } finally {
            Orchestrator.using(docker).timeout(Duration.ofMinutes(1))
                    .down(d, DownOptions.defaults().removeVolumes(true).gracePeriod(Duration.ZERO));
            docker.close();
        }
    }
}
