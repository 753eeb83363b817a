package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ordo.ClpTopology;
import dev.ordo.Plan;
import dev.ordo.Selection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exports checked by the real tools (scripts/ensure-k8s-tools.sh installs them): the schema validator generated
 * from the Kubernetes OpenAPI spec (kubernetes-models), {@code kubectl kustomize} placing the base in another
 * namespace, and {@code helm lint} / {@code helm template} of the chart — for every CLP deployment type.
 */
class ExportToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path tools;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        tools = K8sTools.locate();
    }

    /** Runs a command; returns its output, failing the test with it when the exit code is not 0. */
    private static String run(List<String> cmd, Map<String, String> env) throws Exception {
        K8sTools.Result r = K8sTools.run(cmd, env);
        assertThat(r.exit()).as(String.join(" ", cmd) + " said:\n" + r.output()).isZero();
        return r.output();
    }

    private static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(yaml))) {
            while (it.hasNext()) {
                JsonNode n = (JsonNode) it.next();
                if (n != null && n.has("kind")) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    /** Every object valid against the OpenAPI-generated schema of its kind. */
    private void assertSchemaValid(List<JsonNode> docs, String what) throws Exception {
        ArrayNode all = JSON.createArrayNode();
        docs.forEach(all::add);
        Path json = Files.writeString(dir.resolve(what.replaceAll("\\W", "-") + ".json"), all.toString());
        Path script = Path.of(ExportToolsTest.class.getResource("/validate-k8s.js").toURI());
        String out = run(List.of("node", script.toString(), json.toString()),
                Map.of("NODE_PATH", tools.resolve("node_modules").toString()));
        assertThat(out).as(what).contains(docs.size() + " objects, 0 invalid");
    }

    private static List<Plan> everyClpType() {
        return List.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(2)).build().plan(),
                ClpTopology.builder(true).build().plan(Selection.profiles("celery")),
                ClpTopology.builder(true).build().plan(Selection.profiles("celery", "native-query")),
                ClpTopology.builder(true).build().plan(Selection.profiles("spider")),
                ClpTopology.builder(true).build().plan(Selection.profiles("spider", "native-query", "mcp")));
    }

    /** Every setting a container can have beyond CLP's: resources, liveness, security context, scheduling. */
    static Plan everySetting() {
        return dev.ordo.Deployment.builder("hardened")
                .service("database", s -> s.image("mariadb:10.11").port(3306).volume("db-data", "/var/lib/mysql")
                        .healthCheck(dev.ordo.HealthCheck.tcp(3306))
                        .liveness(dev.ordo.HealthCheck.command("mysqladmin", "ping").startPeriod(Duration.ofSeconds(30)))
                        .resources(dev.ordo.Resources.none().cpu("500m", "2").memory("512Mi", "2Gi"))
                        .security(dev.ordo.Security.none().user(999).group(999).nonRoot())
                        .nodeSelector("disktype", "ssd")
                        .toleration(dev.ordo.Toleration.equal("dedicated", "db", dev.ordo.Toleration.Effect.NO_SCHEDULE))
                        .toleration(dev.ordo.Toleration.exists("node.kubernetes.io/unreachable",
                                dev.ordo.Toleration.Effect.NO_EXECUTE).forAtMost(Duration.ofMinutes(5))))
                .service("webui", s -> s.image("clp-package:main").port(4000).dependsOn("database",
                                dev.ordo.Condition.HEALTHY)
                        .liveness(dev.ordo.HealthCheck.http(4000, "/"))
                        .resources(dev.ordo.Resources.none().memory("", "1Gi"))
                        .security(dev.ordo.Security.none().nonRoot().readOnlyRoot()).tmpfs("/tmp"))
                .build().plan();
    }

    @Test
    void everyContainerSettingMatchesTheKubernetesSchemas() throws Exception {
        List<JsonNode> docs = documents(KubernetesManifests.of(everySetting()).render());
        JsonNode db = docs.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        JsonNode pod = db.path("spec").path("template").path("spec");
        JsonNode main = pod.path("containers").get(0);
        assertThat(main.path("resources").path("limits").path("memory").asText()).isEqualTo("2Gi");
        assertThat(main.path("securityContext").path("runAsUser").asLong()).isEqualTo(999);
        assertThat(main.path("livenessProbe").path("initialDelaySeconds").asInt()).isEqualTo(30);
        assertThat(pod.path("nodeSelector").path("disktype").asText()).isEqualTo("ssd");
        assertThat(pod.path("tolerations").get(1).path("tolerationSeconds").asLong()).isEqualTo(300);
        assertSchemaValid(docs, "every setting");
    }

    /**
     * Compose's names and the settings Kubernetes maps: names with '_', '.' and upper case, an alias Service, a
     * secret file, bind-mount propagation, a user given as root, an external and a named volume.
     */
    static Plan composeShapes() {
        return KubernetesNamesTest.composeNames().deployment().toBuilder()
                .volume(dev.ordo.Volume.external("backups"))
                .volume(dev.ordo.Volume.of("cache_data").named("shared_cache"))
                .service("log_agent", s -> s.image("agent:1").volume("backups", "/backups")
                        .volume("cache_data", "/cache")
                        .mount(dev.ordo.Mount.bind("/var/log", "/host/log")
                                .propagation(dev.ordo.Mount.Propagation.RSLAVE))
                        .security(dev.ordo.Security.none().user("root")))
                .build().plan();
    }

    @Test
    void composeNamesAndSettingsPassKubectlHelmAndTheSchemas() throws Exception {
        Plan plan = composeShapes();
        List<JsonNode> docs = documents(KubernetesManifests.of(plan).withSecretValues().render());
        assertThat(docs).extracting(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .contains("StatefulSet/plausible-db", "Service/database", "Deployment/web-ui",
                        "PersistentVolumeClaim/shared-cache")
                .doesNotContain("PersistentVolumeClaim/backups");
        assertSchemaValid(docs, "compose names");

        Path base = dir.resolve("compose-base");
        KubernetesManifests.of(plan).writeKustomizeBase(base);
        Path overlay = Files.createDirectories(dir.resolve("compose-overlay"));
        Files.writeString(overlay.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                + "kind: Kustomization\nnamespace: plausible-prod\nresources:\n- ../compose-base\n");
        List<JsonNode> placed = documents(run(List.of(tools.resolve("bin/kubectl").toString(), "kustomize",
                overlay.toString()), Map.of()));
        assertThat(placed).allSatisfy(d -> assertThat(d.path("metadata").path("namespace").asText())
                .isEqualTo("plausible-prod"));
        assertSchemaValid(placed, "compose names, kustomize");

        Path chart = dir.resolve("compose-chart");
        KubernetesManifests.of(plan).writeHelmChart(chart);
        String helm = tools.resolve("bin/helm").toString();
        run(List.of(helm, "lint", chart.toString()), Map.of());
        List<JsonNode> templated = documents(run(List.of(helm, "template", "prod", chart.toString(), "--namespace",
                "plausible-prod", "--set", "nodes.plausible_db.image=postgres:17", "--set",
                "secrets.db_password=from-values"), Map.of()));
        assertSchemaValid(templated, "compose names, helm template");
        JsonNode db = templated.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")
                && d.path("metadata").path("name").asText().equals("plausible-db")).findFirst().orElseThrow();
        assertThat(db.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("postgres:17");
        assertThat(db.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
                .isEqualTo("plausible_db");
    }

    @Test
    void theSingleFileExportOfEveryClpTypeMatchesTheKubernetesSchemas() throws Exception {
        for (Plan plan : everyClpType()) {
            List<JsonNode> docs = documents(KubernetesManifests.of(plan).withSecretValues().render());
            assertThat(docs).hasSizeGreaterThan(plan.nodes().size());
            assertSchemaValid(docs, "single file, " + plan.nodes().size() + " nodes");
        }
    }

    @Test
    void kustomizePlacesTheBaseInAnotherNamespace() throws Exception {
        for (Plan plan : everyClpType()) {
            Path base = dir.resolve("base-" + plan.nodes().size());
            KubernetesManifests.of(plan).writeKustomizeBase(base);
            Path overlay = Files.createDirectories(dir.resolve("overlay-" + plan.nodes().size()));
            Files.writeString(overlay.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                    + "kind: Kustomization\nnamespace: clp-elsewhere\nresources:\n- ../" + base.getFileName() + "\n");
            String out = run(List.of(tools.resolve("bin/kubectl").toString(), "kustomize", overlay.toString()),
                    Map.of());
            List<JsonNode> docs = documents(out);
            assertThat(docs).allSatisfy(d -> assertThat(d.path("metadata").path("namespace").asText())
                    .as(d.path("kind").asText()).isEqualTo("clp-elsewhere"));
            // the waiters follow: they read the namespace from the downward API, never from the manifests
            assertThat(out).doesNotContain("namespaces/clp/").contains("fieldPath: metadata.namespace");
            assertSchemaValid(docs, "kustomize, " + plan.nodes().size() + " nodes");
        }
    }

    @Test
    void theHelmChartLintsAndTemplatesWithItsValues() throws Exception {
        Plan plan = ClpTopology.rehearsal("clp", Duration.ofSeconds(2)).build().plan();
        Path chart = dir.resolve("clp");
        KubernetesManifests.of(plan).writeHelmChart(chart);
        String helm = tools.resolve("bin/helm").toString();
        run(List.of(helm, "lint", chart.toString()), Map.of());
        String out = run(List.of(helm, "template", "prod", chart.toString(), "--namespace", "clp-prod",
                "--set", "nodes.database.image=mariadb:11.4", "--set", "nodes.webui.replicas=3",
                "--set", "storage.clp-database-data=20Gi", "--set", "secrets.db-password=from-values",
                "--set", "waitImage=registry.example.com/curl:8"), Map.of());
        List<JsonNode> docs = documents(out);
        assertSchemaValid(docs, "helm template");
        JsonNode database = docs.stream().filter(d -> d.path("metadata").path("name").asText().equals("database")
                && d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        assertThat(database.path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).isEqualTo("mariadb:11.4");
        JsonNode webui = docs.stream().filter(d -> d.path("metadata").path("name").asText().equals("webui")
                && d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        assertThat(webui.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(webui.path("spec").path("template").path("spec").path("initContainers").get(0).path("image")
                .asText()).isEqualTo("registry.example.com/curl:8");
        assertThat(docs).anySatisfy(d -> assertThat(d.path("kind").asText()).isEqualTo("Secret"));
        assertThat(out).contains("storage: \"20Gi\"").doesNotContain("namespace: clp\n");
        // without a value the Secret is not created: it must exist already
        String bare = run(List.of(helm, "template", "prod", chart.toString()), Map.of());
        assertThat(documents(bare)).noneSatisfy(d -> assertThat(d.path("kind").asText()).isEqualTo("Secret"));
    }
    @Test
    void helmValuesThatLookLikeNumbersStayStrings() throws Exception {
        // Go's YAML reads an unquoted 8080, 4 or 1.4 as a number, and the API server refuses it where a string is due
        Plan plan = dev.ordo.Deployment.builder("numbers")
                .service("cache", s -> s.image("redis:7").command("redis-server", "--port", "6379").port(6379)
                        .label("version", "1.4"))
                .service("api", s -> s.image("shop-api:2").env("PORT", "8080").env("WORKERS", "4").env("DEBUG", "true")
                        .env("MODE", "on").label("version", "1.4").port(8080)
                        .dependsOn("cache", dev.ordo.Condition.STARTED))
                .build().plan();
        Path chart = dir.resolve("numbers");
        KubernetesManifests.of(plan).writeHelmChart(chart);
        String helm = tools.resolve("bin/helm").toString();
        run(List.of(helm, "lint", chart.toString()), Map.of());
        List<JsonNode> docs = documents(run(List.of(helm, "template", "prod", chart.toString()), Map.of()));
        assertSchemaValid(docs, "helm template, numeric-looking values");
        JsonNode api = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")
                && d.path("metadata").path("name").asText().equals("api")).findFirst().orElseThrow();
        JsonNode env = api.path("spec").path("template").path("spec").path("containers").get(0).path("env");
        assertThat(env.findValues("value")).allSatisfy(v -> assertThat(v.isTextual()).as(v.toString()).isTrue());
        assertThat(api.path("metadata").path("labels").path("version").isTextual()).isTrue();
        JsonNode cache = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")
                && d.path("metadata").path("name").asText().equals("cache")).findFirst().orElseThrow();
        JsonNode redis = cache.path("spec").path("template").path("spec").path("containers").get(0);
        JsonNode argv = redis.has("args") ? redis.path("args") : redis.path("command");
        assertThat(argv).extracting(JsonNode::asText).contains("6379");
        assertThat(argv).allSatisfy(a -> assertThat(a.isTextual()).as(a.toString()).isTrue());
        // another release name, another namespace and changed replicas render objects just as valid
        List<JsonNode> other = documents(run(List.of(helm, "template", "staging", chart.toString(), "--namespace",
                "shop-staging", "--set", "nodes.api.replicas=3", "--set", "nodes.cache.replicas=0"), Map.of()));
        assertSchemaValid(other, "helm template, another release, changed replicas");
        assertThat(other).filteredOn(d -> d.path("kind").asText().equals("Deployment"))
                .extracting(d -> d.path("metadata").path("name").asText() + "=" + d.path("spec").path("replicas"))
                .contains("api=3", "cache=0");
        List<io.fabric8.kubernetes.api.model.HasMetadata> rendered = objects(other.stream().map(JsonNode::toString)
                .collect(java.util.stream.Collectors.joining("\n---\n")));
        assertThat(dev.ordo.kubernetes.internal.ApiServerRules.objectProblems(rendered)).as("the cross-field rules")
                .isEmpty();
    }
    /** The objects of a multi-document YAML, parsed as fabric8 reads them (no server is contacted). */
    private static List<io.fabric8.kubernetes.api.model.HasMetadata> objects(String yaml) {
        try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()) {
            return client.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        }
    }

    /** A deployment whose every node asks for Pod Security restricted. */
    static Plan restrictedNodes() {
        return dev.ordo.Deployment.builder("hardened-shop")
                .secret(dev.ordo.Secret.literal("db-password", "x"))
                .service("db", s -> s.image("postgres:16").port(5432).volume("pgdata", "/var/lib/postgresql/data")
                        .secret(dev.ordo.SecretRef.file("db-password").owner(0, 999).mode(0440))
                        .healthCheck(dev.ordo.HealthCheck.command("pg_isready"))
                        .security(dev.ordo.Security.restricted().user(999).group(999)))
                .job("migrate", j -> j.image("migrate:1").dependsOn("db", dev.ordo.Condition.HEALTHY)
                        .security(dev.ordo.Security.restricted().user(1000)))
                .service("api", s -> s.image("api:1").port(8080).tmpfs("/tmp")
                        .dependsOn("migrate", dev.ordo.Condition.COMPLETED_SUCCESSFULLY)
                        .security(dev.ordo.Security.restricted().user(1000).readOnlyRoot()))
                .job("backup", j -> j.image("backup:1").onDemand().dependsOn("db", dev.ordo.Condition.HEALTHY)
                        .security(dev.ordo.Security.restricted().user(1000)))
                .trigger("nightly", t -> t.target("backup").cron("0 3 * * *"))
                .build().plan();
    }

    @Test
    void theWaitersAlwaysAndNodesThatAskForItPassPodSecurityRestrictedAndNoInitContainerHasAProbe()
            throws Exception {
        for (Plan plan : everyClpTypeAndEverySetting()) {
            List<io.fabric8.kubernetes.api.model.HasMetadata> objects =
                    objects(KubernetesManifests.of(plan).withSecretValues().render());
            assertThat(dev.ordo.kubernetes.internal.ApiServerRules.objectProblems(objects)).isEmpty();
            dev.ordo.kubernetes.internal.ApiServerRules.podTemplates(objects).forEach((what, pod) ->
                    assertThat(dev.ordo.kubernetes.internal.PodSecurityStandards.restricted(what, pod))
                            .as("the waiters of %s under restricted", what)
                            .noneMatch(p -> p.contains("container 'wait-for-")));
        }
        Plan plan = restrictedNodes();
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects =
                objects(KubernetesManifests.of(plan).withSecretValues().render());
        var templates = dev.ordo.kubernetes.internal.ApiServerRules.podTemplates(objects);
        assertThat(templates.keySet()).contains("StatefulSet/db", "Deployment/api", "CronJob/nightly")
                .anySatisfy(k -> assertThat(k).startsWith("Job/migrate-"));
        templates.forEach((what, pod) -> assertThat(dev.ordo.kubernetes.internal.PodSecurityStandards
                .restricted(what, pod)).as(what).isEmpty());
        assertThat(templates.values()).allSatisfy(pod -> assertThat(pod.getAutomountServiceAccountToken())
                .isFalse());
        assertSchemaValid(documents(KubernetesManifests.of(plan).withSecretValues().render()), "restricted nodes");

        // and through the chart, whose waiter resources are values
        Path chart = dir.resolve("restricted");
        KubernetesManifests.of(plan).writeHelmChart(chart);
        String helm = tools.resolve("bin/helm").toString();
        String out = run(List.of(helm, "template", "prod", chart.toString(), "--set",
                "waiterResources.limits.memory=48Mi"), Map.of());
        assertSchemaValid(documents(out), "restricted nodes, helm template");
        List<io.fabric8.kubernetes.api.model.HasMetadata> templated = objects(out);
        dev.ordo.kubernetes.internal.ApiServerRules.podTemplates(templated).forEach((what, pod) ->
                assertThat(dev.ordo.kubernetes.internal.PodSecurityStandards.restricted(what, pod)).as(what).isEmpty());
        assertThat(out).contains("memory: \"48Mi\"");
    }

    @Test
    void theCheckerRefusesWhatPodSecurityRefuses() {
        // the checker itself, on a node that asks for nothing: a hostPath and a root-capable container
        Plan plan = dev.ordo.Deployment.builder("loose")
                .service("agent", s -> s.image("agent:1").mount(dev.ordo.Mount.bind("/var/log", "/host/log")))
                .build().plan();
        var templates = dev.ordo.kubernetes.internal.ApiServerRules.podTemplates(
                objects(KubernetesManifests.of(plan).render()));
        var pod = templates.get("Deployment/agent");
        assertThat(dev.ordo.kubernetes.internal.PodSecurityStandards.baseline("agent", pod))
                .anySatisfy(p -> assertThat(p).contains("hostPath volume").contains("(hostPathVolumes)"));
        assertThat(dev.ordo.kubernetes.internal.PodSecurityStandards.restricted("agent", pod))
                .anySatisfy(p -> assertThat(p).contains("(allowPrivilegeEscalation)"))
                .anySatisfy(p -> assertThat(p).contains("(runAsNonRoot)"))
                .anySatisfy(p -> assertThat(p).contains("(seccompProfile_restricted)"))
                .anySatisfy(p -> assertThat(p).contains("(capabilities_restricted)"))
                .anySatisfy(p -> assertThat(p).contains("of type hostPath (restrictedVolumes)"));
    }

    private static List<Plan> everyClpTypeAndEverySetting() {
        List<Plan> all = new ArrayList<>(everyClpType());
        all.add(everySetting());
        return all;
    }
    @Test
    void aJobsNameInTheChartChangesWithTheValuesThatChangeItsTemplateSoAnUpgradeCreatesANewJob() throws Exception {
        Plan plan = ClpTopology.rehearsal("clp", Duration.ofSeconds(2)).build().plan();
        Path chart = dir.resolve("clp-jobs");
        KubernetesManifests.of(plan).writeHelmChart(chart);
        String helm = tools.resolve("bin/helm").toString();
        java.util.function.Function<List<String>, String> jobName = extra -> {
            List<String> cmd = new ArrayList<>(List.of(helm, "template", "clp", chart.toString()));
            cmd.addAll(extra);
            try {
                return documents(run(cmd, Map.of())).stream().filter(d -> d.path("kind").asText().equals("Job")
                        && d.path("metadata").path("labels").path("app.kubernetes.io/name").asText()
                        .equals("db-table-creator")).findFirst().orElseThrow().path("metadata").path("name").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        String plain = jobName.apply(List.of());
        assertThat(plain).matches("db-table-creator-[0-9a-f]{8}");
        assertThat(jobName.apply(List.of("--set", "nodes.webui.replicas=3"))).as("a value of another node")
                .isEqualTo(plain);
        assertThat(jobName.apply(List.of("--set", "nodes.db-table-creator.image=clp-package:v2")))
                .as("its own image").isNotEqualTo(plain).startsWith("db-table-creator-");
        assertThat(jobName.apply(List.of("--set", "waitImage=registry.example.com/curl:8"))).as("its waiters' image")
                .isNotEqualTo(plain);
    }

    @Test
    void anAtStartJobsNameInTheChartChangesWithItsStepsImages() throws Exception {
        Plan plan = dev.ordo.Deployment.builder("layer")
                .service("db", s -> s.image("postgres:16").port(5432))
                .job("loader", j -> j.image("loader:1").onDemand().dependsOn("db", dev.ordo.Condition.STARTED))
                .trigger("initial-load", t -> t.target("loader").atStart())
                .build().plan();
        Path chart = dir.resolve("layer");
        KubernetesManifests.of(plan).writeHelmChart(chart);
        String helm = tools.resolve("bin/helm").toString();
        java.util.function.Function<List<String>, String> jobName = extra -> {
            List<String> cmd = new ArrayList<>(List.of(helm, "template", "layer", chart.toString()));
            cmd.addAll(extra);
            try {
                return documents(run(cmd, Map.of())).stream().filter(d -> d.path("kind").asText().equals("Job"))
                        .findFirst().orElseThrow().path("metadata").path("name").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        String plain = jobName.apply(List.of());
        assertThat(plain).matches("initial-load-at-start-[0-9a-f]{8}");
        assertThat(jobName.apply(List.of("--set", "nodes.db.image=postgres:17"))).as("another node's image")
                .isEqualTo(plain);
        assertThat(jobName.apply(List.of("--set", "nodes.loader.image=loader:2"))).as("its step's image")
                .isNotEqualTo(plain).startsWith("initial-load-at-start-");
    }
}
