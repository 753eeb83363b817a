package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordo.ValidationException.Problem;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Liveness checks, resources, security contexts and scheduling constraints: the values, their rules and hashes. */
class ContainerSettingsTest {

    private static List<Problem> problems(NodeBuilderStep step) {
        ValidationException e = catchThrowableOfType(() -> Deployment.builder("demo")
                .service("database", s -> step.apply(s.image("mariadb:10.11"))).build(), ValidationException.class);
        assertThat(e).as("build() should have thrown").isNotNull();
        return e.problems();
    }

    interface NodeBuilderStep {
        ServiceBuilder apply(ServiceBuilder s);
    }

    private static Service built(NodeBuilderStep step) {
        return (Service) Deployment.builder("demo").service("database", s -> step.apply(s.image("mariadb:10.11")))
                .build().node("database").orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"250m,0.25", "0.5,0.5", "2,2", "1Ki,1024", "256Mi,268435456", "1G,1000000000", "1e3,1000",
            "1.5Gi,1610612736", "100n,0.0000001", "+3,3", ".5,0.5"})
    void parsesKubernetesQuantities(String quantity, String value) {
        assertThat(Quantities.parse(quantity)).isEqualByComparingTo(new BigDecimal(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1GB", "one", "1 Gi", "", "1.2.3", "Gi", "1e", "1ki", "0x10"})
    void refusesWhatTheApiServerRefuses(String quantity) {
        assertThat(Quantities.parse(quantity)).isNull();
    }

    @Test
    void resourcesReadAsMillicoresAndBytes() {
        Resources r = Resources.none().cpu("250m", "1.5").memory("256Mi", "1G");
        assertThat(r.cpuRequestMillis()).isEqualTo(OptionalLong.of(250));
        assertThat(r.cpuLimitMillis()).isEqualTo(OptionalLong.of(1500));
        assertThat(r.memoryRequestBytes()).isEqualTo(OptionalLong.of(268_435_456L));
        assertThat(r.memoryLimitBytes()).isEqualTo(OptionalLong.of(1_000_000_000L));
        assertThat(Resources.none().cpuLimitMillis()).isEmpty();
        assertThat(Resources.none().isNone()).isTrue();
    }

    @Test
    void theDslCarriesEverySetting() {
        Service s = built(b -> b.resources(Resources.none().memory("", "1Gi"))
                .security(Security.none().user(1000).group(2000).nonRoot().readOnlyRoot())
                .liveness(HealthCheck.tcp(3306).retries(2))
                .nodeSelector("disktype", "ssd")
                .toleration(Toleration.equal("dedicated", "db", Toleration.Effect.NO_SCHEDULE)));
        Container c = s.container();
        assertThat(c.resources().memoryLimit()).isEqualTo("1Gi");
        assertThat(c.security().runAsUser()).isEqualTo(OptionalLong.of(1000));
        assertThat(c.security().runAsGroup()).isEqualTo(OptionalLong.of(2000));
        assertThat(c.security().runAsNonRoot()).isTrue();
        assertThat(c.security().readOnlyRootFilesystem()).isTrue();
        assertThat(c.liveness()).hasValueSatisfying(l -> assertThat(l.retries()).isEqualTo(2));
        assertThat(c.scheduling().nodeSelector()).containsEntry("disktype", "ssd");
        assertThat(c.scheduling().tolerations()).extracting(Toleration::key).containsExactly("dedicated");
    }

    @Test
    void badQuantitiesNameTheNodeTheFieldAndAnExample() {
        List<Problem> ps = problems(b -> b.resources(Resources.none().cpu("half", "").memory("1GB", "")));
        assertThat(ps).extracting(Problem::message).anySatisfy(m -> assertThat(m)
                .contains("service 'database'", "CPU request 'half'", "not a Kubernetes quantity", "250m"));
        assertThat(ps).extracting(Problem::message).anySatisfy(m -> assertThat(m)
                .contains("memory request '1GB'", "256Mi"));
        assertThat(ps).extracting(Problem::subject).containsOnly("database");
    }

    @Test
    void aRequestAboveItsLimitIsRefusedAsTheApiServerDoes() {
        List<Problem> ps = problems(b -> b.resources(Resources.none().cpu("2", "500m").memory("2Gi", "1Gi")));
        assertThat(ps).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("requests CPU '2', more than its limit '500m'"))
                .anySatisfy(m -> assertThat(m).contains("requests memory '2Gi', more than its limit '1Gi'"));
    }

    @Test
    void negativeAndTinyLimitsAreRefused() {
        assertThat(problems(b -> b.resources(Resources.none().memory("-1Mi", ""))))
                .extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("negative"));
        assertThat(problems(b -> b.resources(Resources.none().memory("", "4Mi"))))
                .extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("below the 6Mi Docker accepts"));
        assertThat(problems(b -> b.resources(Resources.none().cpu("", "100u"))))
                .extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("at least 1m"));
    }

    @Test
    void rootWithNonRootAndIdsOutOfRangeAreRefused() {
        assertThat(problems(b -> b.security(Security.none().user(0).nonRoot()))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("runs as user 0 (root) but must not run as root"));
        assertThat(problems(b -> b.security(Security.none().user("root:staff").nonRoot())))
                .extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("must not run as root"));
        assertThat(problems(b -> b.security(Security.none().user("redis: redis")))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("'redis: redis', which is not user[:group]"));
        assertThat(problems(b -> b.security(Security.none().user(-1).group(1L << 40)))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("user id -1"))
                .anySatisfy(m -> assertThat(m).contains("group id 1099511627776"));
    }

    @Test
    void aUserByNameAsDockerTakesIt() {
        assertThat(Security.none().user("redis:redis").dockerUser()).isEqualTo("redis:redis");
        assertThat(Security.none().user("redis").group(1000).dockerUser()).isEqualTo("redis:1000");
        assertThat(Security.none().user("1000:0")).isEqualTo(Security.none().user(1000).group(0));
        assertThat(Security.none().user("root").numericUser()).hasValue(0);
        assertThat(Security.none().user("unit:root").namesUser()).isTrue();
        assertThat(Security.none().user("root:staff").numericGroup()).isEmpty();
    }

    @Test
    void livenessIsForServicesWithProbesThatCanRepeat() {
        assertThat(problems(b -> b.liveness(HealthCheck.logLine("ready")))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("log-line liveness check"));
        assertThat(problems(b -> b.liveness(HealthCheck.tcp(0)))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("liveness check on port 0"));
        ValidationException e = catchThrowableOfType(() -> Deployment.builder("demo")
                .job("migrate", j -> j.image("app:1").liveness(HealthCheck.tcp(80))).build(),
                ValidationException.class);
        assertThat(e.problems()).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("job 'migrate' has a liveness check", "active deadline"));
    }

    @Test
    void settingsChangeTheHashAndAbsentOnesLeaveItAsBefore() {
        String plain = built(b -> b).configHash();
        assertThat(built(b -> b.resources(Resources.none())).configHash()).isEqualTo(plain);
        assertThat(built(b -> b.resources(Resources.none().memory("", "1Gi"))).configHash()).isNotEqualTo(plain);
        assertThat(built(b -> b.security(Security.none().user(1000))).configHash()).isNotEqualTo(plain);
        assertThat(built(b -> b.nodeSelector("a", "b")).configHash()).isNotEqualTo(plain);
        assertThat(built(b -> b.liveness(HealthCheck.tcp(3306))).configHash()).isNotEqualTo(plain);
        assertThat(built(b -> b.liveness(HealthCheck.tcp(3306).interval(Duration.ofSeconds(3)))).configHash())
                .isNotEqualTo(built(b -> b.liveness(HealthCheck.tcp(3306))).configHash());
    }
    @Test
    void restrictedIsNonRootAndHardenedAndAChangeOfItRecreatesTheNode() {
        Security r = Security.restricted();
        org.assertj.core.api.Assertions.assertThat(r.runAsNonRoot()).isTrue();
        org.assertj.core.api.Assertions.assertThat(r.hardened()).isTrue();
        org.assertj.core.api.Assertions.assertThat(r.user(1000).hardened()).as("kept by the withers").isTrue();
        org.assertj.core.api.Assertions.assertThat(Security.none().nonRoot().hardened()).isFalse();
        java.util.function.Function<Security, String> hash = sec -> Deployment.builder("d")
                .service("app", s -> s.image("app:1").security(sec)).build().requireNode("app").configHash();
        org.assertj.core.api.Assertions.assertThat(hash.apply(Security.none().nonRoot().user(1000)))
                .isNotEqualTo(hash.apply(Security.restricted().user(1000)));
    }
}
