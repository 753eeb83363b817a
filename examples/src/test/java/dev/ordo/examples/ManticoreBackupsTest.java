package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Plan;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Manticore backups in virtual time: schedules from JSON, one backup per table, manual backups alongside. */
class ManticoreBackupsTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void anInvalidEntryIsReportedAndSkippedAndTheOthersBecomeTriggers() {
        ManticoreBackups.Schedules s = ManticoreBackups.Schedules.parse(ManticoreBackups.EXAMPLE_SCHEDULES);
        assertThat(s.entries()).extracting(ManticoreBackups.Entry::triggerName)
                .containsExactly("backup-addresses-delta", "backup-addresses-main", "backup-products-delta");
        assertThat(s.problems()).singleElement().asString()
                .contains("entry 4").contains("orders").contains("'every morning'").contains("skipped");
        Plan plan = ManticoreBackups.deployment(s, Optional.empty()).plan();
        assertThat(plan.triggers()).extracting(t -> t.name()).containsExactlyInAnyOrder(ManticoreBackups.MANUAL,
                "backup-addresses-delta", "backup-addresses-main", "backup-products-delta");
        assertThat(ManticoreBackups.Schedules.parse("").entries()).isEmpty();
        assertThatThrownBy(() -> ManticoreBackups.Schedules.parse("{\"table\": 1"))
                .hasMessageContaining("BACKUP_SCHEDULES is not valid JSON");
    }

    @Test
    void aDayOfSchedulesFiresEachTableOnTimeWithItsOwnParameters() {
        Plan plan = ManticoreBackups.deployment(
                ManticoreBackups.Schedules.parse(ManticoreBackups.EXAMPLE_SCHEDULES), Optional.empty()).plan();
        SimulatedBackend sim = ManticoreBackups.simulated().startAt(MIDNIGHT);
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            assertThat(live.startup().succeeded()).isTrue();
            live.advanceTo(MIDNIGHT.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)));
            assertThat(live.history("backup-addresses-delta")).extracting(r -> r.origin().orElseThrow().firedAt())
                    .containsExactly(at("06:00"), at("12:00"), at("18:00"), Instant.parse("2026-03-03T00:00:00Z"));
            assertThat(live.history("backup-products-delta")).extracting(r -> r.origin().orElseThrow().firedAt())
                    .containsExactly(at("00:30"), at("06:30"), at("12:30"), at("18:30"),
                            Instant.parse("2026-03-03T00:30:00Z"));
            // 02:00: the main backup of addresses; the 00:00 delta of the day before does not exist (start at 00:00)
            assertThat(live.history("backup-addresses-main")).singleElement()
                    .satisfies(r -> assertThat(r.succeeded()).isTrue());
            assertThat(live.history()).values().flatMap(l -> l).allMatch(RunReport::succeeded);
        }
        assertThat(sim.environments("backup")).extracting(e -> e.get("DATASET") + "/" + e.get("TYPE")).startsWith(
                "products/delta", "addresses/main", "addresses/delta", "products/delta");
    }

    @Test
    void aSlowBackupMakesTheNextFireOfTheSameTableSkipWhileAnotherTablesBackupRuns() {
        Plan plan = ManticoreBackups.deployment(
                ManticoreBackups.Schedules.parse(ManticoreBackups.EXAMPLE_SCHEDULES), Optional.empty()).plan();
        // every backup takes five hours: the 02:00 main backup of addresses is still running at 06:00
        SimulatedBackend sim = ManticoreBackups.simulated().startAt(MIDNIGHT)
                .exitsAfter("backup", Duration.ofHours(5), 0);
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).listener(events::add).start(plan)) {
            live.advanceTo(at("06:45"));
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.FIRE_SKIPPED).singleElement()
                    .satisfies(e -> {
                        assertThat(e.node()).isEqualTo("backup-addresses-delta");
                        assertThat(e.at()).isEqualTo(Duration.ofHours(6));
                        assertThat(e.detail()).contains("table addresses");
                    });
            // products' 06:30 backup started while addresses' main backup was still going
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.RUN_STARTED)
                    .extracting(e -> e.node() + "@" + e.at().toMinutes()).containsExactly(
                            "backup-products-delta@30", "backup-addresses-main@120", "backup-products-delta@390");
            assertThat(live.history("backup-addresses-main")).as("still running at 06:45").isEmpty();
            assertThat(live.history("backup-products-delta")).singleElement()
                    .satisfies(r -> assertThat(r.succeeded()).isTrue());
        }
    }

    @Test
    void aManualBackupRunsAlongsideTheSchedules() {
        Plan plan = ManticoreBackups.deployment(
                ManticoreBackups.Schedules.parse(ManticoreBackups.EXAMPLE_SCHEDULES), Optional.empty()).plan();
        SimulatedBackend sim = ManticoreBackups.simulated().startAt(at("05:50"));
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            var manual = live.trigger(ManticoreBackups.MANUAL, Map.of("DATASET", "addresses", "TYPE", "delta"));
            live.advanceTo(at("06:30"));
            assertThat(manual.join().succeeded()).isTrue();
            assertThat(live.history("backup-addresses-delta")).singleElement()
                    .satisfies(r -> assertThat(r.origin().orElseThrow().firedAt()).isEqualTo(at("06:00")));
        }
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-03-02T" + hhmm + ":00Z");
    }
}
