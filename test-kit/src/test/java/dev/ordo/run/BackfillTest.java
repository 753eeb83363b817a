package dev.ordo.run;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.Param;
import dev.ordo.Plan;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backfill: a trigger run once per due instant of a past range, in order, one after another, in virtual time. */
class BackfillTest {
    private static final Instant THURSDAY_1357 = Instant.parse("2026-03-05T13:57:00Z");

    private static Plan plan() {
        return Deployment.builder("warehouse")
                .service("db", s -> s.image("pg:16"))
                .job("extract", j -> j.image("etl:1").onDemand().dependsOn("db"))
                .job("load", j -> j.image("etl:1").onDemand().dependsOn("extract", COMPLETED_SUCCESSFULLY))
                .trigger("daily", t -> t.target("load").cron("0 2 * * *").env("EVENT_DATE", Param.previousDay()))
                .trigger("by-hand", t -> t.target("load").manual())
                .build().plan();
    }

    @Test
    void eachDueInstantOfTheRangeRunsOnceInOrderWithItsOwnParameters() {
        SimulatedBackend sim = SimulatedBackend.create().startAt(THURSDAY_1357)
                .exitsAfter("extract", Duration.ofMinutes(10), 0).exitsAfter("load", Duration.ofMinutes(5), 0);
        try (LiveDeployment live = Orchestrator.using(sim).start(plan())) {
            List<RunReport> runs = live.backfill("daily", Instant.parse("2026-03-01T00:00:00Z"),
                    Instant.parse("2026-03-03T02:00:00Z"));
            assertThat(runs).extracting(r -> r.origin().orElseThrow().firedAt()).containsExactly(
                    Instant.parse("2026-03-01T02:00:00Z"), Instant.parse("2026-03-02T02:00:00Z"),
                    Instant.parse("2026-03-03T02:00:00Z"));
            assertThat(runs).allMatch(RunReport::succeeded);
            assertThat(runs).extracting(r -> r.origin().orElseThrow().cause()).containsOnly("backfill");
            assertThat(runs).extracting(r -> r.origin().orElseThrow().parameters().get("extract").get("EVENT_DATE"))
                    .containsExactly("2026-02-28", "2026-03-01", "2026-03-02");
            for (int i = 1; i < runs.size(); i++) {
                Instant previousEnd = runs.get(i - 1).startedAt().plus(runs.get(i - 1).duration());
                assertThat(runs.get(i).startedAt()).as("run %d starts once run %d has ended", i, i - 1)
                        .isAfterOrEqualTo(previousEnd);
            }
            assertThat(live.nextFire("daily")).as("the schedule is unchanged")
                    .contains(Instant.parse("2026-03-06T02:00:00Z"));
        }
    }

    @Test
    void aTriggerWithoutScheduleOrAnEmptyRangeIsRefusedNamingTheFix() {
        try (LiveDeployment live = Orchestrator.using(SimulatedBackend.create().startAt(THURSDAY_1357))
                .start(plan())) {
            assertThatThrownBy(() -> live.backfill("by-hand", THURSDAY_1357.minus(Duration.ofDays(2)), THURSDAY_1357))
                    .isInstanceOf(OrdoException.class).hasMessageContaining("trigger 'by-hand' fires only by hand");
            assertThatThrownBy(() -> live.backfill("daily", THURSDAY_1357, THURSDAY_1357.minus(Duration.ofDays(1))))
                    .isInstanceOf(OrdoException.class).hasMessageContaining("swap the two instants");
            assertThatThrownBy(() -> live.backfill("dayly", THURSDAY_1357.minus(Duration.ofDays(1)), THURSDAY_1357))
                    .isInstanceOf(OrdoException.class).hasMessageContaining("did you mean 'daily'");
            assertThat(live.backfill("daily", Instant.parse("2026-03-04T03:00:00Z"),
                    Instant.parse("2026-03-04T04:00:00Z"))).as("no due instant in the range").isEmpty();
        }
    }
}
