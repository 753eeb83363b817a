package dev.ordo.examples;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.docker.DockerBackend;
import dev.ordo.run.DownOptions;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backups with real tools, in the shape of seed 004's Manticore backups ({@link ManticoreBackups}) on PostgreSQL 15:
 * a database {@code db} with two tables of rows (made by a start-up job), an on-demand {@code backup} job that
 * {@code pg_dump}s one table ({@code DATASET}) into a shared named volume, and an on-demand {@code restore} job that
 * {@code pg_restore}s a dump into another database on the same server. The backups run by triggers with a per-table
 * concurrency key ({@code table <name>}) and overlap {@link Overlap#QUEUE} (the seed skips such a fire; queueing it
 * makes both backups run, so that their real times can be compared). Two backups of one table fired at once do not
 * overlap — by the runs' reports and by the times the dump containers themselves printed — and the second is reported
 * queued behind the first; a backup of another table is not held back. The restored rows equal the originals.
 */
class BackupRealToolsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ROWS = 100_000;
    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private DockerBackend docker;
    private Deployment deployment;

    @BeforeEach
    void realServers() {
        RealServers.requireImages(RealImages.POSTGRES);
        docker = DockerBackend.local();
        deployment = backups(RealServers.uniqueName("pg-backups"));
    }

    @AfterEach
    void down() {
        RealServers.downAndClose(docker, deployment);
    }

    /** db, its seed, and the backup and restore jobs with one trigger per table and type, as seed 004 has. */
    static Deployment backups(String name) {
        String password = "export PGPASSWORD=\"$(cat /run/secrets/pg-password)\"\n";
        Deployment.Builder b = Deployment.builder(name)
                .secret(Secret.literal("pg-password", "backup-test-only"))
                .service("db", s -> s.image(RealImages.POSTGRES).port(5432)
                        .secret(SecretRef.file("pg-password").owner(RealImages.SERVER_UID, RealImages.SERVER_UID))
                        .env("POSTGRES_PASSWORD_FILE", "/run/secrets/pg-password").env("POSTGRES_DB", "shop")
                        .volume("db-data", "/var/lib/postgresql/data")
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "postgres", "-d", "shop")
                                .interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .job("seed", j -> j.image(RealImages.POSTGRES).secret("pg-password").dependsOn("db", HEALTHY)
                        .shell(password + "psql -h db -U postgres -d shop -X -q -v ON_ERROR_STOP=1 <<'SQL'\n"
                                + "CREATE TABLE addresses (id INT PRIMARY KEY, street TEXT NOT NULL,"
                                + " city TEXT NOT NULL, zip TEXT);\n"
                                + "INSERT INTO addresses SELECT i, i || ' Main Street', 'City ' || (i % 97),"
                                + " lpad((i % 100000)::text, 5, '0') FROM generate_series(1, " + ROWS + ") i;\n"
                                + "CREATE TABLE products (id INT PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10, 2)"
                                + " NOT NULL);\n"
                                + "INSERT INTO products SELECT i, 'product ' || md5(i::text), (i % 1000) / 7.0"
                                + " FROM generate_series(1, " + ROWS + ") i;\n"
                                + "CREATE DATABASE restored;\n"
                                + "SQL\n"
                                + "echo seeded"))
                .job("backup", j -> j.image(RealImages.POSTGRES).onDemand().secret("pg-password")
                        .volume("backups", "/backups")
                        .dependsOn("db", HEALTHY).dependsOn("seed", COMPLETED_SUCCESSFULLY)
                        .shell("set -eu\n" + password
                                + "now() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }\n"
                                + "echo \"timeline: $DATASET $TYPE start $(now)\"\n"
                                + "pg_dump -h db -U postgres -d shop --table=\"public.$DATASET\" --format=custom"
                                + " --file=\"/backups/$DATASET-$TYPE.dump.partial\"\n"
                                + "mv \"/backups/$DATASET-$TYPE.dump.partial\" \"/backups/$DATASET-$TYPE.dump\"\n"
                                + "echo \"timeline: $DATASET $TYPE end $(now)\"\n"
                                + "echo \"dumped $DATASET ($TYPE): $(stat -c %s /backups/$DATASET-$TYPE.dump) bytes\""))
                .job("restore", j -> j.image(RealImages.POSTGRES).onDemand().secret("pg-password")
                        .volume("backups", "/backups")
                        .dependsOn("db", HEALTHY).dependsOn("seed", COMPLETED_SUCCESSFULLY)
                        .shell("set -eu\n" + password
                                + "pg_restore -h db -U postgres -d restored --clean --if-exists --no-owner"
                                + " --exit-on-error \"/backups/$DATASET-main.dump\"\n"
                                + "echo \"restored $DATASET\""))
                .trigger("restore", t -> t.target("restore").manual().overlap(Overlap.QUEUE));
        for (String table : List.of("addresses", "products")) {
            for (String type : List.of("delta", "main")) {
                b.trigger("backup-" + table + "-" + type, t -> t.target("backup").manual().overlap(Overlap.QUEUE)
                        .concurrencyKey("table " + table).env("DATASET", table).env("TYPE", type));
            }
        }
        return b.build();
    }

    @Test
    @Timeout(240)
    void backupsOfOneTableNeverOverlapOfAnotherMayAndTheRestoredRowsEqualTheOriginals() throws Exception {
        String name = deployment.name();
        try (LiveDeployment live = Orchestrator.using(docker).listener(events::add).timeout(Duration.ofMinutes(2))
                .start(deployment.plan())) {
            assertThat(live.startup().succeeded()).as(live.startup().render()).isTrue();
            // fired together: addresses twice (one key), products once (another key)
            CompletableFuture<RunReport> addressesDelta = live.trigger("backup-addresses-delta");
            CompletableFuture<RunReport> addressesMain = live.trigger("backup-addresses-main");
            CompletableFuture<RunReport> productsMain = live.trigger("backup-products-main");
            RunReport first = addressesDelta.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            RunReport second = addressesMain.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            RunReport products = productsMain.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (RunReport r : List.of(first, second, products)) {
                assertThat(r.succeeded()).as(r.render()).isTrue();
            }

            // by the runs' reports: the second backup of addresses started after the first one ended
            Instant firstEnd = at(first, first.node("backup").finished().orElseThrow());
            Instant secondStart = at(second, second.node("backup").started().orElseThrow());
            assertThat(secondStart).as("second addresses backup started (%s) after the first ended (%s)",
                    secondStart, firstEnd).isAfterOrEqualTo(firstEnd);
            String firstRun = first.origin().orElseThrow().run();
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.RUN_QUEUED)
                    .singleElement().satisfies(e -> {
                        assertThat(e.node()).isEqualTo("backup-addresses-main");
                        assertThat(e.detail()).contains(firstRun + " of 'backup-addresses-delta'");
                    });

            // by the dump containers' own clocks, printed as each dump began and ended
            Map<String, Instant> timeline = timeline();
            assertThat(timeline.get("addresses main start")).as("timeline %s", timeline)
                    .isAfterOrEqualTo(timeline.get("addresses delta end"));
            assertThat(timeline).containsKeys("products main start", "products main end");
            System.out.printf("dumps: addresses delta %d ms, addresses main %d ms (waited %d ms), products main %d ms;"
                            + " products main began %d ms after addresses delta%n",
                    ms(timeline, "addresses delta"), ms(timeline, "addresses main"),
                    Duration.between(timeline.get("addresses delta start"), timeline.get("addresses main start"))
                            .toMillis(), ms(timeline, "products main"),
                    Duration.between(timeline.get("addresses delta start"), timeline.get("products main start"))
                            .toMillis());

            for (String table : List.of("addresses", "products")) {
                RunReport restore = live.trigger("restore", Map.of("DATASET", table))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(restore.succeeded()).as(restore.render()).isTrue();
                String original = query(name, "shop", "SELECT * FROM " + table + " ORDER BY id");
                String restored = query(name, "restored", "SELECT * FROM " + table + " ORDER BY id");
                assertThat(original.lines().count()).as(table).isEqualTo(ROWS);
                assertThat(restored).as("%s restored from its dump", table).isEqualTo(original);
            }
        }
        RunReport down = Orchestrator.using(docker).down(deployment, DownOptions.defaults().removeVolumes(true));
        assertThat(down.succeeded()).as(down.render()).isTrue();
        assertThat(RealServers.leftovers(name)).isEmpty();
    }

    private static Instant at(RunReport r, Duration offset) {
        return r.startedAt().plus(offset);
    }

    private static long ms(Map<String, Instant> timeline, String dump) {
        return Duration.between(timeline.get(dump + " start"), timeline.get(dump + " end")).toMillis();
    }

    /** The instants each dump container printed as its dump began and ended: "table type start|end" to the instant. */
    private Map<String, Instant> timeline() {
        Map<String, Instant> out = new HashMap<>();
        events.stream().filter(e -> e.type() == RunEvent.Type.LOG && e.detail().startsWith("timeline: "))
                .map(e -> e.detail().substring("timeline: ".length()).strip()).forEach(l -> {
                    int sp = l.lastIndexOf(' ');
                    out.put(l.substring(0, sp), Instant.parse(l.substring(sp + 1)));
                });
        return out;
    }

    /** The query's rows, unaligned, as psql prints them in the server's own container. */
    private static String query(String deployment, String database, String sql) {
        RealServers.Result r = RealServers.exec(RealServers.container(deployment, "db"), "psql", "-U", "postgres",
                "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql);
        assertThat(r.code()).as(r.out()).isZero();
        return r.out();
    }
}
