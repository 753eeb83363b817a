package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link PostgresJdbcDockerIT} written with Testcontainers' {@code PostgreSQLContainer} on the same image, for the
 * README's comparison of lines and wall time (bench/junit/run.sh). Not part of the test run.
 */
@Testcontainers
class PostgresTestcontainersComparison {
    @Container
    static final PostgreSQLContainer<?> PG = new PostgreSQLContainer<>(DockerImageName.parse(Postgres.IMAGE)
            .asCompatibleSubstituteFor("postgres")).withDatabaseName("shop").withPassword(Postgres.PASSWORD)
            .withInitScript("orders.sql").withNetwork(org.testcontainers.containers.Network.newNetwork());

    @Test
    void theSchemaIsThereAndTakesRowsOverJdbc() throws Exception {
        try (Connection c = DriverManager.getConnection(PG.getJdbcUrl(), PG.getUsername(), PG.getPassword());
             Statement st = c.createStatement()) {
            st.executeUpdate("insert into orders (item) values ('book'), ('pen')");
            try (ResultSet r = st.executeQuery("select count(*) from orders")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }
}
