package dev.ordo.export;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Param;
import dev.ordo.Plan;
import org.junit.jupiter.api.Test;

/** Every export format of a plan with on-demand jobs and triggers. */
class ExportTest {
    private static Plan living() {
        return Deployment.builder("layer")
                .service("db", s -> s.image("pg:16").port(5432).healthCheck(HealthCheck.tcp(5432)))
                .job("extract", j -> j.image("etl:1").onDemand().dependsOn("db", HEALTHY))
                .job("load", j -> j.image("etl:1").onDemand().dependsOn("extract", COMPLETED_SUCCESSFULLY))
                .job("backup", j -> j.image("backup:1").schedule("0 3 * * *"))
                .trigger("daily", t -> t.target("load").cron("0 2 * * *").env("DAY", Param.previousDay()))
                .trigger("now", t -> t.target("load").manual())
                .build().plan();
    }

    @Test
    void textListsEachTriggerWithItsSteps() {
        assertThat(Export.text(living()))
                .contains("trigger: daily (cron '0 2 * * *' (Z)) runs extract -> load")
                .contains("trigger: now (manual) runs extract -> load")
                .contains("trigger: backup (cron '0 3 * * *' (Z)) runs backup");
    }

    @Test
    void jsonHasTheOnDemandJobsAndTheTriggers() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Export.json(living()));
        assertThat(root.get("onDemandJobs")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("extract", "load", "backup");
        JsonNode daily = root.get("triggers").get(0);
        assertThat(daily.get("name").asText()).isEqualTo("daily");
        assertThat(daily.get("cron").asText()).isEqualTo("0 2 * * *");
        assertThat(daily.get("zone").asText()).isEqualTo("Z");
        assertThat(daily.get("steps")).extracting(JsonNode::asText).containsExactly("extract", "load");
    }

    @Test
    void mermaidAndDotRenderAPlanWithTriggers() {
        assertThat(Export.mermaid(living())).contains("db");
        assertThat(Export.dot(living())).contains("\"db\"");
    }
}
