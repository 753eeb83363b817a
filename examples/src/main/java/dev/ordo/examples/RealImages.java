package dev.ordo.examples;

/**
 * The real server images the examples' real-infrastructure variants run: Debian bookworm's own server packages,
 * built locally by {@code scripts/real-images.sh} (as root) for machines that reach Debian's mirror but no container
 * registry. Each follows its official image's environment contract ({@code POSTGRES_PASSWORD_FILE},
 * {@code MARIADB_ROOT_PASSWORD_FILE}, {@code RABBITMQ_DEFAULT_USER}, redis-server's arguments), and every server
 * runs as uid and gid 999.
 *
 * <pre>{@code
 * Deployment clp = Clp.onRealInfrastructure();   // MariaDB, RabbitMQ and Redis from these images
 * }</pre>
 */
public final class RealImages {
    /** PostgreSQL 15 ({@code postgresql-15}). */
    public static final String POSTGRES = "ordo-real/postgres:15";
    /** MariaDB 10.11 ({@code mariadb-server}); its client {@code mariadb} and {@code mysqladmin} too. */
    public static final String MARIADB = "ordo-real/mariadb:10.11";
    /** Redis 7 ({@code redis-server}); {@code redis-cli} too. */
    public static final String REDIS = "ordo-real/redis:7";
    /** RabbitMQ 3.10 ({@code rabbitmq-server}); {@code rabbitmq-diagnostics} too. */
    public static final String RABBITMQ = "ordo-real/rabbitmq:3.10";
    /** The uid (and gid) the servers run as, which must be able to read their secret files. */
    public static final int SERVER_UID = 999;
    /** The script that builds the images. */
    public static final String BUILD_SCRIPT = "scripts/real-images.sh";

    private RealImages() {
    }
}
