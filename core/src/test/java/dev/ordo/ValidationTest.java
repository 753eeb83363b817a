package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordo.ValidationException.Problem;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One test per validation rule of {@code Deployment.Builder#build()}; each checks the message names the node at fault. */
class ValidationTest {

    private static Deployment.Builder base() {
        return Deployment.builder("demo")
                .service("database", s -> s.image("mysql:8.0.23").healthCheck(HealthCheck.tcp(3306)))
                .job("db-table-creator", j -> j.image("clp:main").dependsOn("database", Condition.HEALTHY));
    }

    /** Builds, expecting a {@link ValidationException}, and returns its problems. */
    private static List<Problem> problems(Deployment.Builder builder) {
        ValidationException e = catchThrowableOfType(builder::build, ValidationException.class);
        assertThat(e).as("build() should have thrown a ValidationException").isNotNull();
        assertThat(e.problems()).isNotEmpty();
        // the exception's own message lists every problem's message
        e.problems().forEach(p -> assertThat(e.getMessage()).contains(p.message()));
        return e.problems();
    }

    /** The only problem of {@code builder}. */
    private static Problem onlyProblem(Deployment.Builder builder) {
        List<Problem> ps = problems(builder);
        assertThat(ps).hasSize(1);
        return ps.get(0);
    }

    @Test
    void aValidDeploymentBuilds() {
        assertThatCode(() -> base().build()).doesNotThrowAnyException();
    }

    @Test
    void unknownDependencySaysDidYouMean() {
        Problem p = onlyProblem(base().service("webui", s -> s.image("clp:main")
                .dependsOn("db-table-creater", Condition.COMPLETED_SUCCESSFULLY)));
        assertThat(p.subject()).isEqualTo("webui");
        assertThat(p.message()).contains("'webui'").contains("'db-table-creater'").contains("not defined")
                .contains("did you mean 'db-table-creator'?");
    }

    @Test
    void unknownDependencyFarFromEveryNameHasNoSuggestion() {
        Problem p = onlyProblem(base().service("webui", s -> s.image("clp:main").dependsOn("zzzzzzzzzzzz")));
        assertThat(p.message()).contains("'webui'").contains("'zzzzzzzzzzzz'").doesNotContain("did you mean")
                .contains("define it with .service(\"zzzzzzzzzzzz\", ...)", "or remove the dependency");
    }

    @Test
    void cycleIsReportedWithItsPath() {
        Problem p = onlyProblem(Deployment.builder("demo")
                .service("a", s -> s.image("x:1").dependsOn("b"))
                .service("b", s -> s.image("x:1").dependsOn("c"))
                .service("c", s -> s.image("x:1").dependsOn("a"))
                .service("d", s -> s.image("x:1").dependsOn("a")));
        assertThat(p.subject()).isEqualTo("a");
        assertThat(p.message()).contains("dependency cycle a -> b -> c -> a")
                .contains("a needs b").contains("b needs c").contains("c needs a")
                .doesNotContain("d needs");
    }

    @Test
    void twoSeparateCyclesAreBothReported() {
        List<Problem> ps = problems(Deployment.builder("demo")
                .service("a", s -> s.image("x:1").dependsOn("b"))
                .service("b", s -> s.image("x:1").dependsOn("a"))
                .service("p", s -> s.image("x:1").dependsOn("q"))
                .service("q", s -> s.image("x:1").dependsOn("p")));
        assertThat(ps).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("a -> b -> a"))
                .anySatisfy(m -> assertThat(m).contains("p -> q -> p"));
    }

    @Test
    void selfDependency() {
        Problem p = onlyProblem(base().service("loop", s -> s.image("x:1").dependsOn("loop")));
        assertThat(p.subject()).isEqualTo("loop");
        assertThat(p.message()).contains("service 'loop' depends on itself").contains("remove .dependsOn(\"loop\")");
    }

    @Test
    void healthyOnANodeWithoutHealthCheck() {
        Problem p = onlyProblem(base()
                .service("queue", s -> s.image("rabbitmq:3"))
                .service("scheduler", s -> s.image("x:1").dependsOn("queue", Condition.HEALTHY)));
        assertThat(p.subject()).isEqualTo("scheduler");
        assertThat(p.message()).contains("'scheduler'").contains("'queue'").contains("no health check")
                .contains(".healthCheck(").contains("STARTED");
    }

    @Test
    void completedSuccessfullyOnAService() {
        Problem p = onlyProblem(base()
                .service("webui", s -> s.image("x:1").dependsOn("database", Condition.COMPLETED_SUCCESSFULLY)));
        assertThat(p.subject()).isEqualTo("webui");
        assertThat(p.message()).contains("'webui'").contains("service 'database'").contains("HEALTHY or STARTED")
                .contains("make 'database' a job");
    }

    @Test
    void healthyOnAJob() {
        Problem p = onlyProblem(base()
                .service("webui", s -> s.image("x:1").dependsOn("db-table-creator", Condition.HEALTHY)));
        assertThat(p.subject()).isEqualTo("webui");
        assertThat(p.message()).contains("'webui'").contains("job 'db-table-creator'")
                .contains("COMPLETED_SUCCESSFULLY or STARTED");
    }

    @Test
    void healthyOnAJobEvenWithAHealthCheckIsRejected() {
        Problem p = onlyProblem(base()
                .job("seeder", j -> j.image("x:1").healthCheck(HealthCheck.tcp(1)))
                .service("webui", s -> s.image("x:1").dependsOn("seeder", Condition.HEALTHY)));
        assertThat(p.message()).contains("'webui'").contains("jobs have no health");
    }

    @Test
    void duplicateNames() {
        Problem p = onlyProblem(base().service("database", s -> s.image("postgres:16")));
        assertThat(p.subject()).isEqualTo("database");
        assertThat(p.message()).contains("'database'").contains("defined twice").contains("rename");
    }

    @Test
    void duplicateNamesAcrossKinds() {
        Problem p = onlyProblem(base().job("database", j -> j.image("postgres:16")));
        assertThat(p.message()).contains("'database'").contains("defined twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-web", "_web", ".web", "web ui", "", "wéb", "a/b", "web:1"})
    void namesThatAreNotValid(String name) {
        Problem p = onlyProblem(base().service(name, s -> s.image("x:1")));
        assertThat(p.subject()).isEqualTo(name);
        assertThat(p.message()).contains("'" + name + "'").contains("not a valid name")
                .contains("letters, digits, '_', '.' and '-', starting with a letter or digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"WebUI", "web_ui", "web.ui", "plausible_db", "db-", "a"})
    void namesAsComposeAndDockerTakeThem(String name) {
        assertThatCode(() -> base().service(name, s -> s.image("x:1")).volume(Volume.of(name))
                .network(Network.of(name)).secret(Secret.fromEnv(name, "X")).build()).doesNotThrowAnyException();
    }

    @Test
    void notValidNameGetsASuggestion() {
        Problem p = onlyProblem(base().service("Web UI", s -> s.image("x:1")));
        assertThat(p.message()).contains("service 'Web UI'").contains("(e.g. 'web-ui')");
    }

    @Test
    void nameLongerThan63Characters() {
        String name = "a".repeat(64);
        Problem p = onlyProblem(base().service(name, s -> s.image("x:1")));
        assertThat(p.message()).contains("'" + "a".repeat(39) + "…' (64 characters)").contains("at most 63");
        // 63 is fine
        assertThatCode(() -> base().service("a".repeat(63), s -> s.image("x:1")).build()).doesNotThrowAnyException();
    }

    @Test
    void anOverLongNameIsOneShortProblem() {
        String name = "x".repeat(54_000);
        ValidationException e = catchThrowableOfType(() -> base()
                .service(name, s -> s.image("x:1"))
                .service("api", s -> s.image("x:1").dependsOn(name + "y")).build(), ValidationException.class);
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).hasSizeLessThan(400)
                .contains("(54,00"));
    }

    @Test
    void deploymentNameMustBeAValidName() {
        Problem p = onlyProblem(Deployment.builder("My Deployment").service("a", s -> s.image("x:1")));
        assertThat(p.message()).contains("deployment name 'My Deployment'").contains("not a valid name");
        assertThatCode(() -> Deployment.builder("my_project").service("a", s -> s.image("x:1")).build())
                .doesNotThrowAnyException();
    }


    @Test
    void unknownPoolSaysDidYouMean() {
        Problem p = onlyProblem(base().pool("compression", 2)
                .job("compress", j -> j.image("x:1").pool("compresion")));
        assertThat(p.subject()).isEqualTo("compress");
        assertThat(p.message()).contains("job 'compress'").contains("pool 'compresion'").contains("not defined")
                .contains("did you mean 'compression'?").contains(".pool(\"compresion\", slots)");
    }

    @Test
    void negativeSlots() {
        Problem p = onlyProblem(base().pool("compression", -1));
        assertThat(p.subject()).isEqualTo("compression");
        assertThat(p.message()).contains("pool 'compression'").contains("-1 slots").contains("0 (drained) or more");
    }

    @Test
    void zeroSlotsIsAllowed() {
        assertThatCode(() -> base().pool("frozen", 0).job("j", x -> x.image("x:1").pool("frozen")).build())
                .doesNotThrowAnyException();
    }

    @Test
    void negativeReplicas() {
        Problem p = onlyProblem(base().service("worker", s -> s.image("x:1").replicas(-2)));
        assertThat(p.subject()).isEqualTo("worker");
        assertThat(p.message()).contains("service 'worker'").contains("-2 replicas").contains("use 0 to 1000");
        assertThatCode(() -> base().service("worker", s -> s.image("x:1").replicas(0)).build())
                .doesNotThrowAnyException();
    }

    @Test
    void negativeJobRetries() {
        Problem p = onlyProblem(base().job("seed", j -> j.image("x:1").retries(-1)));
        assertThat(p.message()).contains("job 'seed'").contains("-1 retries");
    }

    @Test
    void scheduledJobOthersDependOn() {
        Problem p = onlyProblem(base()
                .job("backup", j -> j.image("x:1").schedule("0 2 * * *"))
                .service("webui", s -> s.image("x:1").dependsOn("backup", Condition.COMPLETED_SUCCESSFULLY)));
        assertThat(p.subject()).isEqualTo("webui");
        assertThat(p.message()).contains("service 'webui'").contains("job 'backup'").contains("'0 2 * * *'")
                .contains("not part of the start-up order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *",
        "* * * 13 *", "* * * * 8", "*/0 * * * *", "*/x * * * *", "30-10 * * * *", "1-2-3 * * * *",
        "* * * foo *", "* * * * funday", "1,,2 * * * *", "@every 5m", "@reboot", "a b c d e", "-1 * * * *"})
    void invalidCronExpressions(String cron) {
        Problem p = onlyProblem(base().job("backup", j -> j.image("x:1").schedule(cron)));
        assertThat(p.subject()).isEqualTo("backup");
        assertThat(p.message()).contains("job 'backup'").contains("cron schedule '" + cron + "'").contains("invalid");
    }

    @Test
    void invalidCronMessagesSayWhichField() {
        assertThat(onlyProblem(base().job("b", j -> j.image("x:1").schedule("* 24 * * *"))).message())
                .contains("hour field '24'").contains("0..23");
        assertThat(onlyProblem(base().job("b", j -> j.image("x:1").schedule("* * * *"))).message())
                .contains("4 fields").contains("has 5");
        assertThat(onlyProblem(base().job("b", j -> j.image("x:1").schedule("30-10 * * * *"))).message())
                .contains("minute field").contains("start is after its end");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * * *", "*/15 * * * *", "0-30/5 9-17 * * mon-fri", "0 0 1 jan,jul *",
        "5,10,15 * * * *", "0 0 * * 7", "0 0 * * SUN", "@daily", "@hourly", "@weekly", "@monthly", "@yearly",
        "@annually", "@midnight", "59 23 31 12 6", "  0 2 * * *  ", "0 0 ? * *"})
    void validCronExpressions(String cron) {
        assertThatCode(() -> base().job("backup", j -> j.image("x:1").schedule(cron)).build())
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, 100000})
    void containerPortOutOfRange(int port) {
        Problem p = onlyProblem(base().service("webui", s -> s.image("x:1").port(port)));
        assertThat(p.subject()).isEqualTo("webui");
        assertThat(p.message()).contains("service 'webui'").contains("port " + port).contains("1..65535");
    }

    @Test
    void hostPortOutOfRange() {
        Problem p = onlyProblem(base().service("webui", s -> s.image("x:1").port(70000, 80)));
        assertThat(p.message()).contains("service 'webui'").contains("host port 70000").contains("1..65535");
    }

    @Test
    void duplicatePublishedHostPort() {
        Problem p = onlyProblem(base()
                .service("webui", s -> s.image("x:1").port(8080, 80))
                .service("api", s -> s.image("x:1").port(8080, 3000)));
        assertThat(p.subject()).isEqualTo("api");
        assertThat(p.message()).contains("service 'api'").contains("host port 8080").contains("'webui'")
                .contains("pick another host port");
    }

    @Test
    void samePortUnpublishedTwiceIsFine() {
        assertThatCode(() -> base().service("a", s -> s.image("x:1").port(80))
                .service("b", s -> s.image("x:1").port(80)).build()).doesNotThrowAnyException();
    }

    @Test
    void nodeWithoutImage() {
        Problem p = onlyProblem(base().job("seed", j -> j.command("seed")));
        assertThat(p.subject()).isEqualTo("seed");
        assertThat(p.message()).contains("job 'seed'").contains("no image").contains(".image(");
    }

    @Test
    void unknownSecretSaysDidYouMean() {
        Problem p = onlyProblem(base().secret(Secret.fromEnv("db-password", "DB_PASS"))
                .service("api", s -> s.image("x:1").secret("db-pasword")));
        assertThat(p.subject()).isEqualTo("api");
        assertThat(p.message()).contains("service 'api'").contains("secret 'db-pasword'").contains("not defined")
                .contains("did you mean 'db-password'?");
    }

    @Test
    void badHealthCheckSettings() {
        List<Problem> ps = problems(base().service("api", s -> s.image("x:1")
                .healthCheck(HealthCheck.http(0, "health").interval(Duration.ZERO)
                        .timeout(Duration.ofSeconds(-1)).retries(0).startPeriod(Duration.ofSeconds(-5)))));
        assertThat(ps).hasSize(6).allSatisfy(p -> {
            assertThat(p.subject()).isEqualTo("api");
            assertThat(p.message()).contains("service 'api'");
        });
        assertThat(ps).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("health check interval PT0S").contains("positive"))
                .anySatisfy(m -> assertThat(m).contains("health check timeout PT-1S").contains("positive"))
                .anySatisfy(m -> assertThat(m).contains("health check retries 0").contains("1 or more"))
                .anySatisfy(m -> assertThat(m).contains("negative health check start period"))
                .anySatisfy(m -> assertThat(m).contains("health check on port 0").contains("1..65535"))
                .anySatisfy(m -> assertThat(m).contains("path 'health'").contains("start it with /"));
    }

    @Test
    void badHealthCheckProbes() {
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").healthCheck(HealthCheck.command())))
                .message()).contains("service 'api'").contains("command health check with no command");
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").healthCheck(HealthCheck.logLine("ready ("))))
                .message()).contains("service 'api'").contains("'ready ('").contains("not a valid regular expression");
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").healthCheck(HealthCheck.tcp(70000))))
                .message()).contains("service 'api'").contains("port 70000");
    }

    @Test
    void otherContainerFieldChecks() {
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").volume("data", "var/lib"))).message())
                .contains("service 'api'").contains("'var/lib'").contains("absolute path");
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").volume("My Data", "/data"))).message())
                .contains("service 'api'").contains("volume 'My Data'").contains("not a valid name");
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").env("A=B", "c"))).message())
                .contains("service 'api'").contains("'A=B'");
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").stopGracePeriod(Duration.ofSeconds(-1))))
                .message()).contains("service 'api'").contains("negative stop grace period");
        assertThat(onlyProblem(base().job("seed", j -> j.image("x:1").activeDeadline(Duration.ZERO))).message())
                .contains("job 'seed'").contains("active deadline").contains("positive");
        assertThat(onlyProblem(base().service("api", s -> s.image("x:1").dependsOn("database")
                .dependsOn("database", Condition.HEALTHY))).message())
                .contains("service 'api'").contains("'database' twice");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        UnaryOperator<Deployment.Builder> broken = b -> b
                .pool("compression", -3)
                .service("Web UI", s -> s.image("x:1"))
                .service("webui", s -> s.image("x:1").dependsOn("databse", Condition.HEALTHY).port(99999))
                .job("backup", j -> j.image("x:1").schedule("61 * * * *"))
                .job("noimage", j -> j.dependsOn("database", Condition.COMPLETED_SUCCESSFULLY))
                .service("loop", s -> s.image("x:1").dependsOn("loop"));
        List<Problem> ps = problems(broken.apply(base()));
        assertThat(ps).extracting(Problem::subject)
                .contains("compression", "Web UI", "webui", "backup", "noimage", "loop");
        assertThat(ps).hasSize(8); // webui: unknown dependency + port; noimage: no image + wrong condition
        // stable order: by subject, then message
        assertThat(ps).isSortedAccordingTo(java.util.Comparator.comparing(Problem::subject)
                .thenComparing(Problem::message));
        ValidationException e = catchThrowableOfType(() -> broken.apply(base()).build(), ValidationException.class);
        assertThat(e.getMessage()).startsWith("deployment 'demo' has 8 problems:");
    }

    @Test
    void validationMessagesNeverContainASecretValue() {
        String value = "hunter2-TOP-s3cr3t";
        ValidationException e = catchThrowableOfType(() -> base()
                .secret(Secret.literal("db-password", value))
                .secret(Secret.literal("db-password", value))
                .secret(Secret.literal("Bad Name", value))
                .service("api", s -> s.image("x:1").secret("db-passwd").secretAsEnv("db-password", "PW")
                        .env("X", "y"))
                .build(), ValidationException.class);
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(Problem::subject).contains("db-password", "Bad Name", "api");
        assertThat(e.getMessage()).doesNotContain(value);
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).doesNotContain(value));
    }

    @Test
    void valuesThatWouldFailAtRunTimeAreRejectedAtBuild() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        List<Problem> p = problems(Deployment.builder("late").secret(Secret.literal("k", "v"))
                .service("db", s -> s.image("pg:16").stopGracePeriod(huge)
                        .healthCheck(HealthCheck.tcp(5432).interval(huge).startPeriod(Duration.ofDays(365L * 60))))
                .job("migrate", j -> j.image("m:1").activeDeadline(huge).secretAsEnv("k", "")
                        .secret("k", "../etc/shadow"))
                .job("load", j -> j.image("m:1").secret("k", "/" + "x".repeat(120)).secret("k", "relative/path"))
                .job("copy", j -> j.image("m:1").onDemand())
                .trigger("slowly", t -> t.target("copy").every(huge)));
        assertThat(p).extracting(Problem::message).anySatisfy(m -> assertThat(m)
                        .contains("service 'db' has stop grace period").contains("longer than 50 years"))
                .anySatisfy(m -> assertThat(m).contains("service 'db' has health check interval"))
                .anySatisfy(m -> assertThat(m).contains("service 'db' has health check start period"))
                .anySatisfy(m -> assertThat(m).contains("job 'migrate' has active deadline")
                        .contains("longer than 50 years"))
                .anySatisfy(m -> assertThat(m).contains("delivers secret 'k' as environment variable ''")
                        .contains("non-empty name"))
                .anySatisfy(m -> assertThat(m).contains("at '../etc/shadow', which is not an absolute file path"))
                .anySatisfy(m -> assertThat(m).contains("which is longer than 100 bytes"))
                .anySatisfy(m -> assertThat(m).contains("at 'relative/path', which is not an absolute file path"))
                .anySatisfy(m -> assertThat(m).contains("trigger 'slowly'").contains("longer than 50 years"));
        assertThat(problems(Deployment.builder("many").service("web", x -> x.image("w:1")
                .replicas(Integer.MAX_VALUE)))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("service 'web' has 2147483647 replicas; use 0 to 1000"));
        assertThat(problems(Deployment.builder("dots").secret(Secret.literal("k", "v"))
                .job("j", x -> x.image("m:1").secret("k", "/run/../etc/shadow")))).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("contains '..'"));
    }

    @Test
    void secretFileOwnersAndModesAreChecked() {
        assertThat(problems(Deployment.builder("own").secret(Secret.literal("k", "v"))
                .job("j", x -> x.image("m:1").secret(SecretRef.file("k").owner(-1, 0).mode(01777)))))
                .extracting(Problem::message).anySatisfy(m -> assertThat(m)
                        .contains("job 'j' delivers secret 'k' with owner -1:0 and mode 1777").contains("0..0777"));
        Deployment ok = Deployment.builder("own").secret(Secret.literal("k", "v"))
                .job("j", x -> x.image("m:1").secret(SecretRef.file("k").owner(999, 999).mode(0440))).build();
        SecretRef use = ok.node("j").orElseThrow().container().secrets().get(0);
        assertThat(use.uid()).isEqualTo(999);
        assertThat(use.mode()).isEqualTo(0440);
        Deployment root = Deployment.builder("own").secret(Secret.literal("k", "v"))
                .job("j", x -> x.image("m:1").secret("k")).build();
        assertThat(ok.node("j").orElseThrow().configHash()).as("owner and mode are part of the configuration")
                .isNotEqualTo(root.node("j").orElseThrow().configHash());
    }
}
