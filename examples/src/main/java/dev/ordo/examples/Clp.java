package dev.ordo.examples;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.Selection;
import dev.ordo.Service;
import dev.ordo.ServiceBuilder;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CLP log-management package (the reference topology): 16 services and 2 init jobs with every edge of the CLP
 * architecture figure and its condition, and the Base / Full / Spider deployment types as profiles.
 *
 * <pre>{@code
 * Deployment clp = Clp.deployment();
 * Plan full = clp.plan(Clp.Type.FULL.selection());
 * RunReport report = Orchestrator.using(Clp.simulated()).up(full);
 * }</pre>
 */
public final class Clp {
    /** The image every CLP component runs from. */
    public static final String PACKAGE_IMAGE = "clp-package:main";

    /**
     * CLP's deployment types: which compression scheduler and which query engine run.
     *
     * <pre>{@code
     * clp.plan(Clp.Type.SPIDER_FULL.selection());
     * }</pre>
     */
    public enum Type {
        /** Celery compression, Presto queries (no native query pipeline). */
        BASE("celery"),
        /** Celery compression, native query pipeline. */
        FULL("celery", "native-query"),
        /** Spider compression, Presto queries. */
        SPIDER_BASE("spider"),
        /** Spider compression, native query pipeline. */
        SPIDER_FULL("spider", "native-query");

        private final String[] profiles;

        Type(String... profiles) {
            this.profiles = profiles;
        }

        /** The selection for this type, with the MCP server when {@code mcp} is true. */
        public Selection selection(boolean mcp) {
            Selection s = Selection.profiles(profiles);
            return mcp ? s.withProfiles("mcp") : s;
        }

        /** The selection for this type, MCP server included. */
        public Selection selection() {
            return selection(true);
        }

        /**
         * The type called {@code name} ({@code base}, {@code full}, {@code spider-base}, {@code spider-full}).
         *
         * @throws IllegalArgumentException listing the types when there is none of that name
         */
        public static Type parse(String name) {
            for (Type t : values()) {
                if (t.name().replace('_', '-').equalsIgnoreCase(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown CLP deployment type '" + name
                    + "'; use base, full, spider-base or spider-full");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private Clp() {
    }

    /** The CLP deployment. Credentials come from CLP_DB_PASS / CLP_QUEUE_PASS / CLP_REDIS_PASS when set. */
    public static Deployment deployment() {
        Duration fast = Duration.ofSeconds(2);
        return Deployment.builder("clp")
                .pool("compression", 2)
                .secret(credential("db-password", "CLP_DB_PASS"))
                .secret(credential("queue-password", "CLP_QUEUE_PASS"))
                .secret(credential("redis-password", "CLP_REDIS_PASS"))
                // Databases
                .service("database", s -> s.image("mysql:8.0.23").port(3306)
                        .secret("db-password")
                        .env("MYSQL_ROOT_PASSWORD_FILE", "/run/secrets/db-password")
                        .volume("database-data", "/var/lib/mysql")
                        .healthCheck(HealthCheck.command("mysqladmin", "ping", "--silent").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("results-cache", s -> s.image("mongo:7.0.1").port(27017)
                        .volume("results-cache-data", "/data/db")
                        .healthCheck(HealthCheck.command("mongosh", "--quiet", "--eval", "db.runCommand('ping').ok")
                                .interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("queue", s -> s.image("rabbitmq:3.9.8").port(5672)
                        .secret("queue-password")
                        .healthCheck(HealthCheck.command("rabbitmq-diagnostics", "check_running").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("redis", s -> s.image("redis:7.2.4").port(6379)
                        .secret("redis-password")
                        .tmpfs("/data")
                        .healthCheck(HealthCheck.command("redis-cli", "ping").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                // Initialization jobs
                .job("db-table-creator", j -> j.image(PACKAGE_IMAGE)
                        .command("python3", "-u", "-m", "clp_py_utils.create-db-tables", "--config", "/etc/clp/clp-config.yaml")
                        .secret("db-password")
                        .retries(2)
                        .dependsOn("database", HEALTHY))
                .job("results-cache-indices-creator", j -> j.image(PACKAGE_IMAGE)
                        .command("python3", "-u", "-m", "clp_py_utils.initialize-results-cache")
                        .retries(2)
                        .dependsOn("results-cache", HEALTHY))
                // Schedulers
                .service("compression-scheduler", s -> clpService(s, "compression_scheduler").profiles("celery")
                        .dependsOn("queue", HEALTHY).dependsOn("redis", HEALTHY)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("query-scheduler", s -> clpService(s, "query_scheduler").profiles("native-query")
                        .port(7000).healthCheck(HealthCheck.tcp(7000).interval(fast).retries(30))
                        .dependsOn("queue", HEALTHY).dependsOn("redis", HEALTHY)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("spider-scheduler", s -> clpService(s, "spider_scheduler").profiles("spider")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                // Workers
                .service("compression-worker", s -> clpService(s, "compression_worker").profiles("celery")
                        .pool("compression"))
                .service("spider-compression-worker", s -> clpService(s, "spider_compression_worker")
                        .profiles("spider").pool("compression")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("query-worker", s -> clpService(s, "query_worker").profiles("native-query"))
                .service("reducer", s -> clpService(s, "reducer").profiles("native-query")
                        .dependsOn("query-scheduler", HEALTHY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                // Management & UI
                .service("api-server", s -> clpService(s, "api_server").port(3001)
                        .healthCheck(HealthCheck.http(3001, "/health").interval(fast).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("log-ingestor", s -> clpService(s, "log_ingestor")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("garbage-collector", s -> clpService(s, "garbage_collector")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("webui", s -> clpService(s, "webui").port(4000)
                        .healthCheck(HealthCheck.http(4000, "/").interval(fast).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                // AI
                .service("mcp-server", s -> clpService(s, "mcp_server").profiles("mcp").port(8000)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .build();
    }

    /** The nodes {@link #onRealInfrastructure()} runs on real images; every other node is a busybox stand-in. */
    public static final Set<String> REAL_NODES = Set.of("database", "queue", "redis",
            "db-table-creator", "webui");

    /** The tables {@link #onRealInfrastructure()}'s {@code db-table-creator} makes in database {@code clp}. */
    public static final List<String> TABLES = List.of("archives", "tags", "archive_tags", "files",
            "compression_jobs", "compression_tasks", "query_jobs", "query_tasks");

    /** The RabbitMQ user {@link #onRealInfrastructure()}'s queue makes (its password: secret queue-password). */
    public static final String QUEUE_USER = "clp-user";

    /**
     * CLP's topology (every node, edge, profile, pool and restart policy of {@link #deployment()}) with its
     * infrastructure on real servers ({@link RealImages}): {@code database} is MariaDB 10.11 with root's password from
     * secret {@code db-password} ({@code MARIADB_ROOT_PASSWORD_FILE}) and the health check {@code mysqladmin ping}
     * over TCP with that password; {@code queue} is RabbitMQ 3.10 ({@code rabbitmq-diagnostics -q check_running},
     * which passes once the broker has booted, not merely once its Erlang node answers as {@code ping} does);
     * {@code redis} is Redis 7 with {@code --requirepass} from secret {@code redis-password} and {@code redis-cli ping}
     * answering PONG; {@code db-table-creator} makes CLP's tables ({@link #TABLES}, in database {@code clp}) with the
     * real {@code mariadb} client over the network, in one connection attempt; and {@code webui}, otherwise a
     * stand-in, runs on the MariaDB image so that its health check reads {@code clp.archives}: it is healthy only
     * once the tables exist.
     *
     * <p>The rest stays a busybox stand-in ({@link dev.ordo.docker.StandIns#IMAGE}): CLP's own components
     * ({@link #PACKAGE_IMAGE} is not public), the MongoDB {@code results-cache} (MongoDB is not in Debian) and with it
     * {@code results-cache-indices-creator}. The stand-ins of {@code compression-scheduler} and
     * {@code query-scheduler} talk to the real servers once as they start — an AMQP protocol header to
     * {@code queue:5672} that RabbitMQ must answer with its Connection.Start, a {@code PING} that Redis must answer —
     * and exit 1 (a crash, restarted by their policy) when either does not answer.
     *
     * <p>MariaDB's and RabbitMQ's checks have a start period of 90 s: their first start initialises the data (about
     * 10 s each alone on two cores, several times that on a loaded machine), and failed probes then do not count.
     * The server's secret file is given to uid 999: the real images' entry scripts read {@code *_FILE} after
     * dropping root (the official images read it as root, so it works on both).
     *
     * <pre>{@code
     * Deployment clp = Clp.onRealInfrastructure().renamed("clp-" + suffix);
     * RunReport up = Orchestrator.using(DockerBackend.local()).up(clp.plan(Clp.Type.FULL.selection()));
     * }</pre>
     */
    public static Deployment onRealInfrastructure() {
        Duration fast = Duration.ofSeconds(2);
        Duration firstStart = Duration.ofSeconds(90);
        Deployment clp = deployment();
        Deployment.Builder b = clp.toBuilder();
        for (Node n : clp.nodes()) {
            if (!REAL_NODES.contains(n.name())) {
                boolean scheduler = n.name().equals("compression-scheduler") || n.name().equals("query-scheduler");
                b.replace(StandInNodes.of(n, scheduler ? TALK_TO_QUEUE_AND_REDIS : ""));
            }
        }
        String rootPassword = "MYSQL_PWD=\"$(cat /run/secrets/db-password)\" ";
        return b.service("database", s -> s.image(RealImages.MARIADB).port(3306)
                        .secret(SecretRef.file("db-password").owner(RealImages.SERVER_UID,
                                RealImages.SERVER_UID))
                        .env("MARIADB_ROOT_PASSWORD_FILE", "/run/secrets/db-password")
                        .volume("database-data", "/var/lib/mysql")
                        .healthCheck(HealthCheck.shell(rootPassword
                                + "mysqladmin ping --silent --protocol=tcp -h 127.0.0.1 -u root")
                                .interval(fast).retries(30).startPeriod(firstStart))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("queue", s -> s.image(RealImages.RABBITMQ).port(5672)
                        .secret("queue-password")
                        .env("RABBITMQ_DEFAULT_USER", QUEUE_USER)
                        .env("RABBITMQ_DEFAULT_PASS_FILE", "/run/secrets/queue-password")
                        .healthCheck(HealthCheck.command("rabbitmq-diagnostics", "-q", "check_running")
                                .interval(fast).timeout(Duration.ofSeconds(10)).retries(30).startPeriod(firstStart))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("redis", s -> s.image(RealImages.REDIS).port(6379)
                        .secret("redis-password")
                        .tmpfs("/data")
                        .shell("exec docker-entrypoint.sh redis-server --requirepass"
                                + " \"$(cat /run/secrets/redis-password)\"")
                        .healthCheck(HealthCheck.shell("REDISCLI_AUTH=\"$(cat /run/secrets/redis-password)\""
                                + " redis-cli ping | grep -qx PONG").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .job("db-table-creator", j -> j.image(RealImages.MARIADB)
                        .secret("db-password")
                        .shell(CREATE_TABLES)
                        .retries(2)
                        .dependsOn("database", HEALTHY))
                .service("webui", s -> s.image(RealImages.MARIADB).port(4000)
                        .secret("db-password")
                        .shell("trap 'exit 0' TERM INT; echo 'webui stand-in on the MariaDB image (for its client)';"
                                + " while :; do sleep 3600 & wait $!; done")
                        .healthCheck(HealthCheck.shell(rootPassword + "mariadb --protocol=tcp -h database -u root"
                                + " -N -B -e 'SELECT COUNT(*) FROM clp.archives'").interval(fast).retries(30))
                        .restart(RestartPolicy.ON_FAILURE)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .build();
    }

    /** The schedulers' stand-ins: one AMQP handshake with the queue and one PING to Redis, or exit 1. */
    private static final String TALK_TO_QUEUE_AND_REDIS = """
            printf 'AMQP\\000\\000\\011\\001' | timeout 2 nc queue 5672 > /tmp/amqp-reply 2>/dev/null
            if grep -q RabbitMQ /tmp/amqp-reply; then
              echo 'queue:5672 answered the AMQP handshake (Connection.Start from RabbitMQ) at the first attempt'
            else
              echo 'queue:5672 did not answer the AMQP handshake' >&2; exit 1
            fi
            printf 'PING\\r\\nQUIT\\r\\n' | timeout 2 nc redis 6379 > /tmp/redis-reply 2>/dev/null
            if grep -q -e PONG -e NOAUTH /tmp/redis-reply; then
              echo "redis:6379 answered PING ($(head -n 1 /tmp/redis-reply | tr -d '\\r')) at the first attempt"
            else
              echo 'redis:6379 did not answer PING' >&2; exit 1
            fi
            """;

    /** db-table-creator's script: CLP's tables, in one connection to database:3306 (no retry loop). */
    private static final String CREATE_TABLES = """
            set -eu
            export MYSQL_PWD="$(cat /run/secrets/db-password)"
            echo 'db-table-creator: connecting to database:3306 (one attempt)'
            mariadb --protocol=tcp -h database -P 3306 -u root --connect-timeout=5 <<'SQL'
            CREATE DATABASE IF NOT EXISTS clp;
            USE clp;
            CREATE TABLE IF NOT EXISTS archives (id VARCHAR(64) PRIMARY KEY, begin_timestamp BIGINT NOT NULL,
              end_timestamp BIGINT NOT NULL, uncompressed_size BIGINT NOT NULL, size BIGINT NOT NULL,
              creator_id VARCHAR(64), creation_ix INT);
            CREATE TABLE IF NOT EXISTS tags (tag_id INT AUTO_INCREMENT PRIMARY KEY,
              tag_name VARCHAR(255) NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS archive_tags (archive_id VARCHAR(64) NOT NULL, tag_id INT NOT NULL,
              PRIMARY KEY (archive_id, tag_id), FOREIGN KEY (archive_id) REFERENCES archives (id),
              FOREIGN KEY (tag_id) REFERENCES tags (tag_id));
            CREATE TABLE IF NOT EXISTS files (id VARCHAR(64) PRIMARY KEY, orig_file_id VARCHAR(64) NOT NULL,
              path VARCHAR(4096) NOT NULL, begin_timestamp BIGINT NOT NULL, end_timestamp BIGINT NOT NULL,
              num_uncompressed_bytes BIGINT NOT NULL, begin_message_ix BIGINT NOT NULL, num_messages BIGINT NOT NULL,
              archive_id VARCHAR(64) NOT NULL, FOREIGN KEY (archive_id) REFERENCES archives (id));
            CREATE TABLE IF NOT EXISTS compression_jobs (id INT AUTO_INCREMENT PRIMARY KEY,
              status INT NOT NULL DEFAULT 0, creation_time DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              clp_config VARBINARY(60000) NOT NULL);
            CREATE TABLE IF NOT EXISTS compression_tasks (id BIGINT AUTO_INCREMENT PRIMARY KEY,
              status INT NOT NULL DEFAULT 0, job_id INT NOT NULL, clp_paths_to_compress VARBINARY(60000) NOT NULL,
              FOREIGN KEY (job_id) REFERENCES compression_jobs (id));
            CREATE TABLE IF NOT EXISTS query_jobs (id INT AUTO_INCREMENT PRIMARY KEY, type INT NOT NULL,
              status INT NOT NULL DEFAULT 0, creation_time DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              job_config VARBINARY(60000) NOT NULL);
            CREATE TABLE IF NOT EXISTS query_tasks (id BIGINT AUTO_INCREMENT PRIMARY KEY,
              status INT NOT NULL DEFAULT 0, archive_id VARCHAR(64), job_id INT NOT NULL,
              FOREIGN KEY (job_id) REFERENCES query_jobs (id));
            SQL
            echo 'db-table-creator: created the CLP tables'
            """;

    private static ServiceBuilder clpService(ServiceBuilder s, String module) {
        return s.image(PACKAGE_IMAGE)
                .command("python3", "-u", "-m", "job_orchestration." + module, "--config", "/etc/clp/clp-config.yaml")
                .secret("db-password")
                .restart(RestartPolicy.ON_FAILURE);
    }

    private static Secret credential(String name, String variable) {
        // A demo must run without set-up; real deployments export the variable (the literal is never logged).
        return System.getenv(variable) != null ? Secret.fromEnv(name, variable) : Secret.literal(name, "clp-demo-" + name);
    }

    /** How long each CLP component takes to become ready (or, for a job, to finish), roughly as measured. */
    public static final Map<String, Duration> READINESS = Map.ofEntries(
            Map.entry("database", Duration.ofSeconds(12)),
            Map.entry("results-cache", Duration.ofSeconds(6)),
            Map.entry("queue", Duration.ofSeconds(8)),
            Map.entry("redis", Duration.ofSeconds(1)),
            Map.entry("db-table-creator", Duration.ofSeconds(4)),
            Map.entry("results-cache-indices-creator", Duration.ofSeconds(3)),
            Map.entry("query-scheduler", Duration.ofSeconds(3)),
            Map.entry("api-server", Duration.ofSeconds(3)),
            Map.entry("webui", Duration.ofSeconds(5)));

    /** How long the stateful services take to shut down cleanly; every other service stops in half a second. */
    public static final Map<String, Duration> SHUTDOWN = Map.of(
            "database", Duration.ofSeconds(3),
            "results-cache", Duration.ofSeconds(2),
            "queue", Duration.ofSeconds(2));

    /** A simulated backend scripted with {@link #READINESS} and {@link #SHUTDOWN}. */
    public static SimulatedBackend simulated() {
        SimulatedBackend sim = SimulatedBackend.create();
        READINESS.forEach((node, d) -> {
            if (node.endsWith("-creator")) {
                sim.exitsAfter(node, d, 0);
            } else {
                sim.readyAfter(node, d);
            }
        });
        for (Node n : deployment().nodes()) {
            if (n instanceof Service) {
                sim.stopsAfter(n.name(), SHUTDOWN.getOrDefault(n.name(), Duration.ofMillis(500)));
            }
        }
        return sim;
    }
}
