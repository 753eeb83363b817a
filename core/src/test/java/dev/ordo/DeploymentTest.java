package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.run.NodeState;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment value and its builders. */
class DeploymentTest {
    private static final Deployment D = Deployment.builder("demo")
            .pool("compression", 2)
            .secret(Secret.fromEnv("db-password", "DB_PASS"))
            .service("database", s -> s.image("mysql:8").healthCheck(HealthCheck.tcp(3306))
                    .volume("database-data", "/var/lib/mysql").tmpfs("/tmp").secret("db-password"))
            .job("compress", j -> j.image("clp:main").pool("compression").profiles("celery").volume("archives", "/a"))
            .build();

    @Test
    void exposesWhatItWasBuiltFrom() {
        assertThat(D.name()).isEqualTo("demo");
        assertThat(D.nodes()).extracting(Node::name).containsExactly("database", "compress");
        assertThat(D.pools()).containsOnlyKeys("compression");
        assertThat(D.pools().get("compression").slots()).isEqualTo(2);
        assertThat(D.secrets()).containsOnlyKeys("db-password");
        assertThat(D.volumes()).containsExactly("archives", "database-data");
        assertThat(D.profiles()).containsExactly("celery");
        assertThat(D.node("database")).isPresent();
        assertThat(D.node("nope")).isEmpty();
        assertThat(D.requireNode("database").container().secrets()).extracting(SecretRef::path)
                .containsExactly("/run/secrets/db-password");
    }

    @Test
    void isImmutable() {
        assertThatThrownBy(() -> D.nodes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> D.pools().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> D.requireNode("database").dependencies().add(Dependency.on("x", Condition.STARTED)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requireNodeSaysDidYouMean() {
        assertThatThrownBy(() -> D.requireNode("databse")).isInstanceOf(OrdoException.class)
                .hasMessageContaining("deployment 'demo' has no node 'databse'")
                .hasMessageContaining("did you mean 'database'?");
    }

    @Test
    void toBuilderReplacesInPlaceAndCannotReplaceWhatIsNotThere() {
        Deployment changed = D.toBuilder().service("database", s -> s.image("mysql:8.1")
                .healthCheck(HealthCheck.tcp(3306))).build();
        assertThat(changed.nodes()).extracting(Node::name).containsExactly("database", "compress");
        assertThat(changed.requireNode("database").container().image()).isEqualTo("mysql:8.1");
        assertThat(changed.requireNode("database").configHash()).isNotEqualTo(D.requireNode("database").configHash());
        assertThat(D.requireNode("database").container().image()).isEqualTo("mysql:8"); // the original is untouched
        assertThatThrownBy(() -> D.toBuilder().replace(D.requireNode("database")).replace(
                new Job("compres", D.requireNode("compress").container(), 0, java.util.Optional.empty(),
                        java.util.Optional.empty(), List.of(), java.util.Set.of(), java.util.Optional.empty(),
                        java.util.Map.of())))
                .isInstanceOf(OrdoException.class).hasMessageContaining("no node 'compres' to replace")
                .hasMessageContaining("did you mean 'compress'?");
    }

    @Test
    void configHashIgnoresDependenciesProfilesAndPoolsButNotContainerFields() {
        Deployment a = Deployment.builder("h").pool("p", 1)
                .service("x", s -> s.image("i:1")).service("y", s -> s.image("i:1")).build();
        Deployment b = Deployment.builder("h").pool("p", 1)
                .service("x", s -> s.image("i:1").dependsOn("y").profiles("q").pool("p"))
                .service("y", s -> s.image("i:1")).build();
        assertThat(b.requireNode("x").configHash()).isEqualTo(a.requireNode("x").configHash());
        Deployment c = Deployment.builder("h").service("x", s -> s.image("i:1").env("A", "1"))
                .service("y", s -> s.image("i:1")).build();
        assertThat(c.requireNode("x").configHash()).isNotEqualTo(a.requireNode("x").configHash());
    }

    @Test
    void builderArgumentsAreNullHostileWithNamedMessages() {
        assertThatThrownBy(() -> Deployment.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name == null");
        assertThatThrownBy(() -> Deployment.builder("d").service("a", s -> s.image(null)))
                .isInstanceOf(NullPointerException.class).hasMessage("image == null");
        assertThatThrownBy(() -> Deployment.builder("d").service("a", s -> s.command("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessage("command contains null");
        assertThatThrownBy(() -> Dependency.on(null, Condition.STARTED)).isInstanceOf(NullPointerException.class)
                .hasMessage("target == null");
    }

    @Test
    void conditionLabelsMatchTheClpFigure() {
        assertThat(Condition.HEALTHY.label()).isEqualTo("healthy");
        assertThat(Condition.COMPLETED_SUCCESSFULLY.label()).isEqualTo("completed_successfully");
    }
}
