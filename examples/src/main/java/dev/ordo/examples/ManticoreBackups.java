package dev.ordo.examples;

import static dev.ordo.Condition.HEALTHY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.CronSchedule;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.Param;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.docker.StandIns;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Manticore orchestrator's backups (seed {@code 004}): Manticore and the orchestrator API always on, one
 * on-demand backup job, and many schedules read from a {@code BACKUP_SCHEDULES}-style JSON list — per table, e.g. a
 * delta backup every 6 hours and a main one daily at 02:00. A fire is skipped while a backup of the same table runs
 * (the table is the trigger's concurrency key); an invalid entry is reported and skipped while the others work;
 * manual backups ({@link #MANUAL}, with {@code DATASET} and {@code TYPE} as overrides) run alongside.
 *
 * <pre>{@code
 * ManticoreBackups.Schedules s = ManticoreBackups.Schedules.parse(System.getenv("BACKUP_SCHEDULES"));
 * s.problems().forEach(System.err::println);               // reported and skipped
 * Deployment d = ManticoreBackups.deployment(s, Optional.empty());
 * }</pre>
 */
public final class ManticoreBackups {
    /** The manual trigger: a backup of the table named by the {@code DATASET} override. */
    public static final String MANUAL = "manual-backup";
    /** The schedules of the seed's example, plus one invalid entry, as the environment variable would hold them. */
    public static final String EXAMPLE_SCHEDULES = """
            [
              {"table": "addresses", "type": "delta", "schedule": "0 */6 * * *"},
              {"table": "addresses", "type": "main", "schedule": "0 2 * * *"},
              {"table": "products", "type": "delta", "schedule": "30 */6 * * *"},
              {"table": "orders", "type": "delta", "schedule": "every morning"}
            ]""";
    private static final Pattern TABLE = Pattern.compile("[a-z0-9][a-z0-9_]*");

    private ManticoreBackups() {
    }

    /**
     * One schedule entry.
     *
     * @param table    the table's base name ({@code DATASET})
     * @param type     {@code delta} or {@code main}
     * @param schedule a five-field cron expression (UTC)
     */
    public record Entry(String table, String type, String schedule) {
        /** The trigger's name: {@code backup-<table>-<type>}. */
        public String triggerName() {
            return "backup-" + table.replace('_', '-') + "-" + type;
        }
    }

    /**
     * A parsed {@code BACKUP_SCHEDULES} list: the valid entries, and one message per invalid entry naming it and
     * what is wrong, as the seed's scheduler logs and skips them.
     *
     * @param entries  the valid entries, in the list's order
     * @param problems one message per skipped entry
     */
    public record Schedules(List<Entry> entries, List<String> problems) {
        /** Compact constructor: copies both lists. */
        public Schedules {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }

        /**
         * Parses the JSON list; an empty or missing value is no schedules (as the seed: no scheduler at all).
         *
         * @throws IllegalArgumentException when the value is not a JSON array at all
         */
        public static Schedules parse(String json) {
            List<Entry> ok = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            if (json == null || json.isBlank()) {
                return new Schedules(ok, problems);
            }
            JsonNode list;
            try {
                list = new ObjectMapper().readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("BACKUP_SCHEDULES is not valid JSON: "
                        + e.getOriginalMessage() + "; expected a list like " + EXAMPLE_SCHEDULES.lines().skip(1)
                        .findFirst().orElse("").strip());
            }
            if (!list.isArray()) {
                throw new IllegalArgumentException("BACKUP_SCHEDULES must be a JSON list of {table, type, schedule}");
            }
            int i = 0;
            for (JsonNode n : list) {
                i++;
                String table = n.path("table").asText("");
                String type = n.path("type").asText("delta").toLowerCase(Locale.ROOT);
                String schedule = n.path("schedule").asText("");
                String where = "BACKUP_SCHEDULES entry " + i + " (" + n + ")";
                Optional<String> cron = CronSchedule.problem(schedule);
                if (!TABLE.matcher(table).matches()) {
                    problems.add(where + " skipped: 'table' must be a table name like \"addresses\"");
                } else if (!type.equals("delta") && !type.equals("main")) {
                    problems.add(where + " skipped: 'type' must be \"delta\" or \"main\", not \"" + type + "\"");
                } else if (cron.isPresent()) {
                    problems.add(where + " skipped: its schedule '" + schedule + "' is not a cron expression: "
                            + cron.get());
                } else {
                    ok.add(new Entry(table, type, schedule));
                }
            }
            return new Schedules(ok, problems);
        }
    }

    /**
     * Manticore, the orchestrator API, the backup job, a trigger per valid schedule entry and the manual trigger.
     * With {@code every}, each schedule fires at that interval instead of its cron expression (a rehearsal).
     */
    public static Deployment deployment(Schedules schedules, Optional<Duration> every) {
        Deployment.Builder b = Deployment.builder("manticore")
                .secret(Secret.literal("auth-token", "agent-token-9c1e"))
                .service("manticore", s -> s.image("manticoresearch/manticore:6.3.6").port(9306).port(9308)
                        .volume("manticore-data", "/var/lib/manticore")
                        .healthCheck(HealthCheck.tcp(9306).interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("orchestrator-api", s -> s.image("manticore-orchestrator:local").port(8080)
                        .env("BACKUP_PROVIDER", "aws").env("BACKUP_BUCKET", "backups")
                        .env("BACKUP_PREFIX", "manticore-backups")
                        .healthCheck(HealthCheck.http(8080, "/health").interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED)
                        .dependsOn("manticore", HEALTHY))
                .job("backup", j -> j.image("manticore-orchestrator:local").onDemand()
                        .env("ACTION", "backup").env("MANTICORE_HOST", "manticore").env("AGENT_PORT", "8080")
                        .env("BACKUP_PROVIDER", "aws").env("BACKUP_BUCKET", "backups")
                        .env("BACKUP_PREFIX", "manticore-backups")
                        .secretAsEnv("auth-token", "AUTH_TOKEN")
                        .volume("manticore-data", "/mnt/shared")
                        .dependsOn("manticore", HEALTHY))
                .trigger(MANUAL, t -> t.target("backup").manual().overlap(Overlap.ALLOW)
                        .env("BACKUP_STARTED_AT", Param.fireTime()));
        for (Entry e : schedules.entries()) {
            b.trigger(e.triggerName(), t -> {
                t.target("backup").overlap(Overlap.SKIP).concurrencyKey("table " + e.table())
                        .env("DATASET", e.table()).env("TYPE", e.type()).env("BACKUP_STARTED_AT", Param.fireTime());
                every.ifPresentOrElse(t::every, () -> t.cron(e.schedule()));
            });
        }
        return b.build();
    }

    /** In virtual time: a backup takes 20 minutes, so a 6-hourly delta never overlaps itself unless told to. */
    public static SimulatedBackend simulated() {
        return SimulatedBackend.create()
                .readyAfter("manticore", Duration.ofSeconds(8))
                .readyAfter("orchestrator-api", Duration.ofSeconds(2))
                .exitsAfter("backup", Duration.ofMinutes(20), 0);
    }

    /** Stand-ins for a rehearsal on a real engine: each backup runs {@code backup} long. */
    public static StandIns standIns(Duration backup) {
        return StandIns.defaults().readyAfter(Duration.ofMillis(200)).runFor("backup", backup);
    }
}
