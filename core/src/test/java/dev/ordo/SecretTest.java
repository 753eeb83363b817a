package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SecretTest {
    private static final String VALUE = "hunter2-TOP-s3cr3t";

    @Test
    void toStringNeverShowsALiteralValue() {
        Secret s = Secret.literal("db-password", VALUE);
        assertThat(s.toString()).contains("db-password").contains("literal").doesNotContain(VALUE);
        assertThat(s.reference()).isEmpty();
        assertThat(new String(s.value(), StandardCharsets.UTF_8)).isEqualTo(VALUE);
    }

    @Test
    void toStringShowsWhereOtherSecretsComeFromButNotTheirValue() {
        assertThat(Secret.fromEnv("db-password", "DB_PASS").toString()).isEqualTo("Secret[db-password from env DB_PASS]");
        assertThat(Secret.fromFile("tls-key", Path.of("/etc/clp/tls.key")).toString())
                .isEqualTo("Secret[tls-key from file /etc/clp/tls.key]");
    }

    @Test
    void valueIsACopy() {
        Secret s = Secret.literal("db-password", VALUE);
        s.value()[0] = 'X';
        assertThat(new String(s.value(), StandardCharsets.UTF_8)).isEqualTo(VALUE);
    }

    @Test
    void aMissingSourceIsAnErrorNamingTheSecretAndItsSource() {
        assertThatThrownBy(() -> Secret.fromEnv("db-password", "ORDO_TEST_SURELY_UNSET_VARIABLE").value())
                .isInstanceOf(OrdoException.class).hasMessageContaining("secret 'db-password'")
                .hasMessageContaining("ORDO_TEST_SURELY_UNSET_VARIABLE");
        assertThatThrownBy(() -> Secret.fromFile("tls-key", Path.of("/nonexistent/ordo/tls.key")).value())
                .isInstanceOf(OrdoException.class).hasMessageContaining("secret 'tls-key'")
                .hasMessageContaining("/nonexistent/ordo/tls.key");
    }

    @Test
    void deploymentNodesAndConfigHashNeverCarryTheValue() {
        Deployment d = Deployment.builder("demo")
                .secret(Secret.literal("db-password", VALUE))
                .service("db", s -> s.image("x:1").secret("db-password").secretAsEnv("db-password", "PW"))
                .build();
        assertThat(d.toString()).doesNotContain(VALUE);
        assertThat(d.secrets().toString()).doesNotContain(VALUE);
        Node db = d.requireNode("db");
        assertThat(db.toString()).doesNotContain(VALUE);
        // the hash does not change with the value: it cannot leak it through labels
        Deployment other = Deployment.builder("demo")
                .secret(Secret.literal("db-password", "something-else"))
                .service("db", s -> s.image("x:1").secret("db-password").secretAsEnv("db-password", "PW"))
                .build();
        assertThat(other.requireNode("db").configHash()).isEqualTo(db.configHash());
    }

    @Test
    void equalSecretsHaveEqualHashCodes() {
        assertThat(Secret.literal("a", "x")).isEqualTo(Secret.literal("a", "x")).hasSameHashCodeAs(Secret.literal("a", "x"));
        assertThat(Secret.literal("a", "x")).isNotEqualTo(Secret.literal("a", "y"));
    }
}
