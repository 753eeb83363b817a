package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.CatchUp;
import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.Overlap;
import dev.ordo.Plan;
import dev.ordo.testing.SimulatedBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A living deployment held by one JVM, then by the next after a gap: the state store keeps each trigger's last fire,
 * and the next holder reports every fire it missed and runs those its catch-up policy keeps, in virtual time.
 */
class CatchUpTest {
    private static final Instant MONDAY_0030 = Instant.parse("2026-03-02T00:30:00Z");

    @TempDir
    Path dir;

    private static Instant at(String time) {
        return Instant.parse("2026-03-02T" + time + ":00Z");
    }

    private static Plan plan(CatchUp hourly) {
        return Deployment.builder("catchup")
                .service("db", s -> s.image("pg:16"))
                .job("load", j -> j.image("load:1").onDemand().dependsOn("db"))
                .trigger("hourly", t -> t.target("load").cron("0 * * * *").overlap(Overlap.ALLOW).catchUp(hourly))
                .trigger("daily", t -> t.target("load").cron("0 2 * * *").overlap(Overlap.ALLOW))
                .build().plan();
    }

    /** The first holder runs 00:30 to 03:30 and stops; five hours pass with no one holding the deployment. */
    private SimulatedBackend firstHolderThenAGap(Plan plan, StateStore store) {
        SimulatedBackend sim = SimulatedBackend.create().startAt(MONDAY_0030)
                .exitsAfter("load", Duration.ofMinutes(1), 0);
        try (LiveDeployment live = Orchestrator.using(sim).stateStore(store).start(plan)) {
            live.advanceTo(at("03:30"));
            assertThat(live.history("hourly")).extracting(r -> r.origin().orElseThrow().firedAt())
                    .containsExactly(at("01:00"), at("02:00"), at("03:00"));
        }
        assertThat(store.load("catchup").orElseThrow().lastFires())
                .containsEntry("hourly", at("03:00")).containsEntry("daily", at("02:00"));
        sim.advance(Duration.ofHours(5));
        return sim;
    }

    private static List<String> missed(List<RunEvent> events) {
        return events.stream().filter(e -> e.type() == RunEvent.Type.FIRE_MISSED).map(e -> e.node() + " " + e.detail())
                .toList();
    }

    @Test
    void theNextHolderReportsEveryMissedFireAndRunsTheLatestWhenAskedTo() {
        Plan plan = plan(CatchUp.latest());
        StateStore store = StateStore.files(dir);
        SimulatedBackend sim = firstHolderThenAGap(plan, store);
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).stateStore(store).listener(events::add).start(plan)) {
            assertThat(missed(events)).containsExactly(
                    "hourly due 2026-03-02T04:00:00Z; skipped (catch-up LATEST)",
                    "hourly due 2026-03-02T05:00:00Z; skipped (catch-up LATEST)",
                    "hourly due 2026-03-02T06:00:00Z; skipped (catch-up LATEST)",
                    "hourly due 2026-03-02T07:00:00Z; skipped (catch-up LATEST)",
                    "hourly due 2026-03-02T08:00:00Z; runs now (catch-up LATEST)");
            live.advanceTo(at("09:30"));
            List<RunReport> runs = live.history("hourly");
            assertThat(runs).extracting(r -> r.origin().orElseThrow().firedAt()).containsExactly(at("08:00"),
                    at("09:00"));
            assertThat(runs.get(0).origin().orElseThrow().cause()).isEqualTo("catch-up");
            assertThat(runs).allMatch(RunReport::succeeded);
        }
        assertThat(store.load("catchup").orElseThrow().lastFire("hourly")).contains(at("09:00"));
    }

    @Test
    void byDefaultMissedFiresAreReportedAndSkippedOnceNotAgainByTheHolderAfter() {
        Plan plan = plan(CatchUp.skip());
        StateStore store = StateStore.files(dir);
        SimulatedBackend sim = firstHolderThenAGap(plan, store);
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).stateStore(store).listener(events::add).start(plan)) {
            assertThat(missed(events)).hasSize(5).allMatch(m -> m.endsWith("skipped (catch-up SKIP)"));
            assertThat(live.history("hourly")).isEmpty();
        }
        List<RunEvent> again = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).stateStore(store).listener(again::add).start(plan)) {
            assertThat(missed(again)).as("settled by the holder before").isEmpty();
        }
    }

    @Test
    void missedFiresWithinTheWindowRunOldestFirstWithTheirOwnDueInstants() {
        Plan plan = plan(CatchUp.within(Duration.ofHours(2)));
        StateStore store = StateStore.files(dir);
        SimulatedBackend sim = firstHolderThenAGap(plan, store);
        try (LiveDeployment live = Orchestrator.using(sim).stateStore(store).start(plan)) {
            live.advanceTo(at("08:45"));
            // now 08:30 when it started: 07:00 and 08:00 are within two hours, 04:00 to 06:00 are not
            assertThat(live.history("hourly")).extracting(r -> r.origin().orElseThrow().firedAt())
                    .containsExactly(at("07:00"), at("08:00"));
        }
    }

    @Test
    void withoutAStoreNothingIsKeptAndNothingIsCaughtUp() {
        Plan plan = plan(CatchUp.latest());
        SimulatedBackend sim = firstHolderThenAGap(plan, StateStore.files(dir));
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).listener(events::add).start(plan)) {
            assertThat(missed(events)).isEmpty();
            assertThat(live.history("hourly")).isEmpty();
        }
    }

    @Test
    void theFileStoreReplacesItsRecordWholeAndNamesTheFileWhenItCannotReadIt() throws Exception {
        StateStore store = StateStore.files(dir);
        assertThat(store.load("shop")).isEmpty();
        store.save(new LivingState("shop", Map.of("nightly", at("02:00"))));
        store.save(new LivingState("shop", Map.of("nightly", at("03:00"), "hourly", at("03:00"))));
        assertThat(store.load("shop").orElseThrow().lastFires())
                .containsExactlyInAnyOrderEntriesOf(Map.of("nightly", at("03:00"), "hourly", at("03:00")));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("shop.state.json");
        }
        Files.writeString(dir.resolve("shop.state.json"), "{\"lastFires\": {\"nightly\": \"yesterday\"");
        assertThatThrownBy(() -> store.load("shop")).isInstanceOf(OrdoException.class)
                .hasMessageContaining("shop.state.json").hasMessageContaining("move the file away");
    }
}
