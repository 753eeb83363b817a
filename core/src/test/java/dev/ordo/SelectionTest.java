package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.ValidationException;
import dev.ordo.ValidationException.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors of a selection (profiles and targets), reported by {@code deployment.plan(selection)}. */
class SelectionTest {

    private static List<Problem> problems(Deployment d, Selection s) {
        ValidationException e = catchThrowableOfType(() -> d.plan(s), ValidationException.class);
        assertThat(e).as("plan(%s) should have thrown", s).isNotNull();
        e.problems().forEach(p -> assertThat(e.getMessage()).contains(p.message()));
        return e.problems();
    }

    private static final Deployment APP = Deployment.builder("app")
            .service("db", s -> s.image("postgres:16").healthCheck(HealthCheck.tcp(5432)))
            .service("mcp-server", s -> s.image("x:1").profiles("mcp"))
            .service("metrics", s -> s.image("x:1").profiles("observability", "debug"))
            .service("api", s -> s.image("x:1").dependsOn("db", Condition.HEALTHY)
                    .dependsOn(Dependency.on("mcp-server", Condition.STARTED).required(false)))
            .service("dashboard", s -> s.image("x:1").dependsOn("metrics", Condition.STARTED))
            .build();

    private static final Deployment NO_DASHBOARD = APP.toBuilder().without("dashboard").build();

    @Test
    void unknownTargetSaysDidYouMean() {
        List<Problem> ps = problems(NO_DASHBOARD, Selection.defaults().withTargets("apii"));
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).subject()).isEqualTo("apii");
        assertThat(ps.get(0).message()).contains("target 'apii'").contains("deployment 'app'")
                .contains("did you mean 'api'?");
    }

    @Test
    void unknownProfileSaysDidYouMeanAndListsKnownOnes() {
        List<Problem> ps = problems(NO_DASHBOARD, Selection.profiles("observabilty"));
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).subject()).isEqualTo("observabilty");
        assertThat(ps.get(0).message()).contains("profile 'observabilty'").contains("did you mean 'observability'?")
                .contains("(known profiles: debug, mcp, observability)");
    }

    @Test
    void enabledNodeRequiringADisabledNodeNamesBoth() {
        List<Problem> ps = problems(APP, Selection.defaults());
        assertThat(ps).hasSize(1);
        Problem p = ps.get(0);
        assertThat(p.subject()).isEqualTo("dashboard");
        assertThat(p.message()).contains("service 'dashboard'").contains("requires 'metrics'")
                .contains("selection disables").contains("[debug, observability]")
                .contains("required(false)");
    }

    @Test
    void theErrorGoesAwayWhenAProfileOfTheDependencyIsActive() {
        Plan plan = APP.plan(Selection.profiles("debug"));
        assertThat(plan.contains("metrics")).isTrue();
        assertThat(plan.contains("dashboard")).isTrue();
    }

    @Test
    void optionalDependencyOnADisabledNodeIsDropped() {
        Plan plan = NO_DASHBOARD.plan();
        assertThat(plan.contains("mcp-server")).isFalse();
        assertThat(plan.dependenciesOf("api")).extracting(Edge::dependency).containsExactly("db");
        // and kept when the node is enabled
        Plan withMcp = NO_DASHBOARD.plan(Selection.profiles("mcp"));
        assertThat(withMcp.dependenciesOf("api")).extracting(Edge::dependency).containsExactlyInAnyOrder("db",
                "mcp-server");
        List<String> order = withMcp.nodes().stream().map(Node::name).toList();
        assertThat(order.indexOf("mcp-server")).isLessThan(order.indexOf("api"));
    }

    @Test
    void everySelectionProblemIsReportedAtOnce() {
        List<Problem> ps = problems(APP, Selection.profiles("nope").withTargets("missing"));
        assertThat(ps).extracting(Problem::subject).containsExactlyInAnyOrder("nope", "missing", "dashboard");
    }

    @Test
    void clpFullWithoutCeleryIsFineButReducerAloneNeedsItsScheduler() {
        Deployment clp = ClpTopology.withProfiles();
        // reducer is a target: it is enabled, and so must be what it requires; query-scheduler is disabled
        List<Problem> ps = problems(clp, Selection.defaults().withTargets("reducer"));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("reducer");
            assertThat(p.message()).contains("'reducer' requires 'query-scheduler'").contains("[native-query]");
        });
    }

    @Test
    void scheduledJobCannotBeATarget() {
        Deployment d = NO_DASHBOARD.toBuilder().job("backup", j -> j.image("x:1").schedule("@daily")).build();
        List<Problem> ps = problems(d, Selection.defaults().withTargets("backup"));
        assertThat(ps).singleElement().satisfies(p ->
                assertThat(p.message()).contains("target 'backup'").contains("on-demand job"));
    }
}
