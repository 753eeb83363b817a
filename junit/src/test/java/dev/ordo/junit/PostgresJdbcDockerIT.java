package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL under test: the schema made by the migration job, the test talking JDBC to the published port. */
class PostgresJdbcDockerIT {
    static {
        RealImage.require(Postgres.IMAGE);
    }

    @Deployed
    static final TestDeployment PG = TestDeployment.of(Postgres.deployment()).onDocker();

    @Test
    void theSchemaIsThereAndTakesRowsOverJdbc() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG.address("db", 5432) + "/shop",
                "postgres", Postgres.PASSWORD); Statement st = c.createStatement()) {
            st.executeUpdate("insert into orders (item) values ('book'), ('pen')");
            try (ResultSet r = st.executeQuery("select count(*) from orders")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }
}
