package dev.ordo.kubernetes;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.CatchUp;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.Overlap;
import dev.ordo.Param;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Triggers in the exported manifests: CronJobs, pipelines as init containers, and what a CronJob cannot do. */
class TriggerManifestsTest extends ManifestTests {
    private static Deployment.Builder layer() {
        return Deployment.builder("layer")
                .service("namenode", s -> s.image("hdfs:3").port(9870).healthCheck(HealthCheck.http(9870, "/")))
                .service("postgres", s -> s.image("postgres:14").port(5432).healthCheck(HealthCheck.tcp(5432)))
                .job("ingestion", j -> j.image("spark:3").onDemand().dependsOn("namenode", HEALTHY))
                .job("processing", j -> j.image("spark:3").onDemand().dependsOn("ingestion", COMPLETED_SUCCESSFULLY))
                .job("loader", j -> j.image("loader:1").onDemand().retries(2)
                        .dependsOn("processing", COMPLETED_SUCCESSFULLY).dependsOn("postgres", HEALTHY));
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow(() ->
                        new AssertionError("no " + kind.getSimpleName() + " " + name + " in " + objects.stream()
                                .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElse(null);
    }

    @Test
    void aCronTriggerIsACronJobWhosePodRunsThePipelineInOrder() {
        Deployment d = layer().trigger("daily", t -> t.target("loader").cron("0 2 * * *")
                .env("MODE", "daily").env("processing", "PROCESSING_WINDOW_DAYS", "7")).build();
        List<HasMetadata> objects = parse(KubernetesManifests.of(d.plan()).render());
        CronJob cron = only(objects, CronJob.class, "daily");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("0 2 * * *");
        assertThat(cron.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(2);
        PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        // waiters for the services the steps need, then the steps in order; the last step is the main container
        assertThat(pod.getInitContainers()).extracting(Container::getName)
                .containsExactly("wait-for-namenode", "wait-for-postgres", "ingestion", "processing");
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("loader");
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("layer-ordo-waiter");
        assertThat(env(pod.getInitContainers().get(2), "MODE")).isEqualTo("daily");
        assertThat(env(pod.getInitContainers().get(3), "PROCESSING_WINDOW_DAYS")).isEqualTo("7");
        assertThat(env(pod.getContainers().get(0), "PROCESSING_WINDOW_DAYS")).isNull();
        // on-demand jobs run only inside their triggers' pods: no Job of their own that would run on apply
        assertThat(objects).filteredOn(o -> o instanceof Job).isEmpty();
        assertThat(objects).extracting(HasMetadata::getKind).contains("Role", "ServiceAccount");
    }

    @Test
    void overlapPoliciesMapToCronJobPoliciesAndIntervalsToCron() {
        Deployment d = layer()
                .trigger("skip", t -> t.target("loader").cron("0 * * * *").overlap(Overlap.SKIP))
                .trigger("replace", t -> t.target("loader").cron("0 * * * *").overlap(Overlap.REPLACE))
                .trigger("allow", t -> t.target("loader").every(Duration.ofMinutes(15)).overlap(Overlap.ALLOW))
                .trigger("six-hourly", t -> t.target("loader").every(Duration.ofHours(6)))
                .build();
        List<HasMetadata> objects = parse(KubernetesManifests.of(d.plan()).render());
        assertThat(only(objects, CronJob.class, "skip").getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(only(objects, CronJob.class, "replace").getSpec().getConcurrencyPolicy()).isEqualTo("Replace");
        assertThat(only(objects, CronJob.class, "allow").getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
        assertThat(only(objects, CronJob.class, "allow").getSpec().getSchedule()).isEqualTo("*/15 * * * *");
        assertThat(only(objects, CronJob.class, "six-hourly").getSpec().getSchedule()).isEqualTo("0 */6 * * *");
    }

    @Test
    void aManualTriggerIsASuspendedTemplateAndAnInitialLoadAJobThatRunsOnApply() {
        Deployment d = layer()
                .trigger("by-hand", t -> t.target("loader").manual())
                .trigger("initial-load", t -> t.target("loader").atStart().env("MODE", "initial"))
                .build();
        String yaml = KubernetesManifests.of(d.plan()).render();
        List<HasMetadata> objects = parse(yaml);
        CronJob manual = only(objects, CronJob.class, "by-hand");
        assertThat(manual.getSpec().getSuspend()).isTrue();
        assertThat(yaml).contains("kubectl create job by-hand-$(date +%s) --from=cronjob/by-hand\n");
        Job once = atStart(objects, "initial-load");
        assertThat(env(once.getSpec().getTemplate().getSpec().getContainers().get(0), "MODE")).isEqualTo("initial");
        assertThat(objects).filteredOn(o -> o.getMetadata().getName().equals("initial-load")).isEmpty();
    }

    private static Job atStart(List<HasMetadata> objects, String trigger) {
        List<Job> jobs = objects.stream().filter(Job.class::isInstance).map(Job.class::cast)
                .filter(j -> j.getMetadata().getName().startsWith(trigger + "-at-start-")).toList();
        assertThat(jobs).singleElement().satisfies(j -> assertThat(j.getMetadata().getName())
                .matches(trigger + "-at-start-[0-9a-f]{8}"));
        return jobs.get(0);
    }

    @Test
    void anAtStartJobIsNamedByItsTemplateSoAChangedPipelineIsANewJobAndNotARefusedUpdate() {
        Deployment d = layer().trigger("initial-load", t -> t.target("loader").atStart().env("MODE", "initial"))
                .build();
        String name = atStart(parse(KubernetesManifests.of(d.plan()).render()), "initial-load").getMetadata()
                .getName();
        assertThat(atStart(parse(KubernetesManifests.of(d.plan()).render()), "initial-load").getMetadata().getName())
                .as("the same definition: the same Job, left as it ran").isEqualTo(name);
        Deployment changed = layer().trigger("initial-load", t -> t.target("loader").atStart().env("MODE", "full"))
                .build();
        assertThat(atStart(parse(KubernetesManifests.of(changed.plan()).render()), "initial-load").getMetadata()
                .getName()).isNotEqualTo(name);
        assertThat(KubernetesManifests.of(changed.plan()).upgradeProblems(d.plan()))
                .noneMatch(p -> p.startsWith("Job/"));
    }

    @Test
    void whatACronJobCannotDoIsRefusedNamingEveryTriggerUnlessLeftToOrdo() {
        Deployment d = layer()
                .trigger("daily", t -> t.target("loader").cron("0 2 * * *").env("ingestion", "EVENT_DATE",
                        Param.previousDay()))
                .trigger("queued", t -> t.target("loader").cron("0 3 * * *").overlap(Overlap.QUEUE))
                .trigger("per-table", t -> t.target("loader").cron("0 4 * * *").concurrencyKey("table a"))
                .trigger("odd", t -> t.target("loader").every(Duration.ofMinutes(7)))
                .trigger("fine", t -> t.target("loader").cron("0 5 * * *"))
                .build();
        assertThatThrownBy(() -> KubernetesManifests.of(d.plan()).render())
                .isInstanceOf(OrdoException.class)
                .hasMessageContaining("trigger 'daily' sets EVENT_DATE of step 'ingestion' to the day before the fire")
                .hasMessageContaining("trigger 'queued' queues overlapping runs")
                .hasMessageContaining("trigger 'per-table' has concurrency key 'table a'")
                .hasMessageContaining("trigger 'odd' fires every PT7M")
                .hasMessageNotContaining("'fine'")
                .hasMessageContaining("leaveToOrdo");
        String yaml = KubernetesManifests.of(d.plan()).leaveToOrdo("daily", "queued", "per-table", "odd").render();
        assertThat(yaml).contains("# Trigger 'daily' is not here: Ordo's living handle runs it.");
        assertThat(parse(yaml)).filteredOn(o -> o instanceof CronJob).extracting(o -> o.getMetadata().getName())
                .containsExactly("fine");
        assertThatThrownBy(() -> KubernetesManifests.of(d.plan()).leaveToOrdo("dialy"))
                .hasMessageContaining("no trigger 'dialy'").hasMessageContaining("daily");
    }

    @Test
    void aPipelineThatIsNotAChainIsRefused() {
        Deployment d = Deployment.builder("dag")
                .job("a", j -> j.image("x:1").onDemand())
                .job("b", j -> j.image("x:1").onDemand())
                .job("c", j -> j.image("x:1").onDemand().dependsOn("a", COMPLETED_SUCCESSFULLY)
                        .dependsOn("b", COMPLETED_SUCCESSFULLY))
                .trigger("fan-in", t -> t.target("c").cron("0 1 * * *"))
                .build();
        assertThatThrownBy(() -> KubernetesManifests.of(d.plan()).render())
                .hasMessageContaining("trigger 'fan-in' runs a pipeline that is not a chain");
    }
    @Test
    void aStepWithAHealthCheckRunsAsAnInitContainerWithoutProbesAndTheExportSaysSo() {
        // Kubernetes refuses probes on init containers (validateInitContainers in pkg/apis/core/validation)
        Deployment d = layer().trigger("daily", t -> t.target("loader").cron("0 2 * * *")).build().toBuilder()
                .job("processing", j -> j.image("spark:3").onDemand().dependsOn("ingestion", COMPLETED_SUCCESSFULLY)
                        .healthCheck(HealthCheck.command("test", "-e", "/tmp/started")))
                .build();
        KubernetesManifests export = KubernetesManifests.of(d.plan());
        PodSpec pod = only(parse(export.render()), CronJob.class, "daily").getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec();
        assertThat(pod.getInitContainers()).allSatisfy(c -> {
            assertThat(c.getReadinessProbe()).as(c.getName()).isNull();
            assertThat(c.getStartupProbe()).as(c.getName()).isNull();
            assertThat(c.getLivenessProbe()).as(c.getName()).isNull();
            assertThat(c.getLifecycle()).as(c.getName()).isNull();
        });
        assertThat(export.warnings()).anySatisfy(w -> assertThat(w).contains("step 'processing' of trigger 'daily'")
                .contains("init container").contains("health check"));
    }

    @Test
    void eachStepMountsItsOwnVolumesAndSecrets() {
        Deployment d = Deployment.builder("steps")
                .secret(dev.ordo.Secret.literal("first-key", "a")).secret(dev.ordo.Secret.literal("second-key", "b"))
                .volume(dev.ordo.Volume.of("raw")).volume(dev.ordo.Volume.of("clean"))
                .job("extract", j -> j.image("x:1").onDemand().volume("raw", "/data").secret("first-key"))
                .job("load", j -> j.image("y:1").onDemand().volume("clean", "/data").secret("second-key")
                        .dependsOn("extract", COMPLETED_SUCCESSFULLY))
                .trigger("nightly", t -> t.target("load").cron("0 3 * * *")).build();
        PodSpec pod = only(parse(KubernetesManifests.of(d.plan()).render()), CronJob.class, "nightly").getSpec()
                .getJobTemplate().getSpec().getTemplate().getSpec();
        Container extract = pod.getInitContainers().stream().filter(c -> c.getName().equals("extract")).findFirst()
                .orElseThrow();
        Container load = pod.getContainers().get(0);
        java.util.Map<String, io.fabric8.kubernetes.api.model.Volume> volumes = new java.util.HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        assertThat(volumes).hasSize(pod.getVolumes().size()); // no two volumes of one name
        java.util.function.BiFunction<Container, String, String> source = (c, path) -> {
            String name = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                    .orElseThrow().getName();
            var v = volumes.get(name);
            assertThat(v).as("volume %s of %s", name, c.getName()).isNotNull();
            return v.getPersistentVolumeClaim() != null ? v.getPersistentVolumeClaim().getClaimName()
                    : v.getSecret().getSecretName();
        };
        assertThat(source.apply(extract, "/data")).isEqualTo("steps-raw");
        assertThat(source.apply(load, "/data")).isEqualTo("steps-clean");
        assertThat(source.apply(extract, "/run/secrets/first-key")).contains("first-key");
        assertThat(source.apply(load, "/run/secrets/second-key")).contains("second-key");
    }

    @Test
    void everyScheduledCronJobHasAStartingDeadlineSoASkippedFireIsDroppedNotRunLate() {
        Deployment d = layer()
                .trigger("skip", t -> t.target("loader").cron("0 * * * *").overlap(Overlap.SKIP))
                .trigger("allow", t -> t.target("loader").every(Duration.ofMinutes(15)).overlap(Overlap.ALLOW))
                .build();
        List<HasMetadata> objects = parse(KubernetesManifests.of(d.plan()).render());
        assertThat(only(objects, CronJob.class, "skip").getSpec().getStartingDeadlineSeconds()).isEqualTo(30L);
        assertThat(only(objects, CronJob.class, "allow").getSpec().getStartingDeadlineSeconds()).isEqualTo(30L);
    }

    @Test
    void aCatchUpPolicyBecomesTheStartingDeadlineAndItsDifferenceIsWarnedAbout() {
        Deployment d = layer()
                .trigger("within", t -> t.target("loader").cron("0 * * * *")
                        .catchUp(CatchUp.within(Duration.ofHours(6))))
                .trigger("latest", t -> t.target("loader").cron("0 2 * * *").catchUp(CatchUp.latest()))
                .build();
        KubernetesManifests m = KubernetesManifests.of(d.plan());
        List<HasMetadata> objects = parse(m.render());
        assertThat(only(objects, CronJob.class, "within").getSpec().getStartingDeadlineSeconds()).isEqualTo(21_600L);
        assertThat(only(objects, CronJob.class, "latest").getSpec().getStartingDeadlineSeconds()).isNull();
        assertThat(m.warnings()).anySatisfy(w -> assertThat(w).contains("trigger 'within'")
                .contains("catches up on missed fires (WITHIN)").contains("the latest missed fire only"));
    }
    @Test
    void poolsOfOnDemandStepsAndStepSettingsThePodCannotKeepAreWarnedAbout() {
        // AlphaKraken's pools hold on-demand steps only; a pipeline pod keeps its last step's pod-level settings
        Deployment d = Deployment.builder("kraken").pool("transfer", 2)
                .job("copy", j -> j.image("copy:1").onDemand().pool("transfer").retries(5))
                .job("index", j -> j.image("index:1").onDemand().dependsOn("copy", COMPLETED_SUCCESSFULLY))
                .trigger("hourly", t -> t.target("index").cron("0 * * * *")).build();
        List<String> warnings = KubernetesManifests.of(d.plan()).warnings();
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("pool 'transfer' (2 slots) limits [copy]"))
                .anySatisfy(w -> assertThat(w).startsWith("trigger 'hourly' runs its steps in one pod")
                        .contains("last step 'index'").contains("step 'copy' asks for others"));
    }

    @Test
    void aGroupReadSecretBesideAVolumeWarnsThatTheVolumeIsReOwnedOnlyOnMismatch() {
        Deployment d = Deployment.builder("pg").secret(dev.ordo.Secret.literal("pw", "x"))
                .service("db", s -> s.image("postgres:16").volume("data", "/var/lib/postgresql/data")
                        .secret(dev.ordo.SecretRef.file("pw").owner(0, 999).mode(0440)))
                .build();
        KubernetesManifests export = KubernetesManifests.of(d.plan());
        assertThat(export.warnings()).anySatisfy(w -> assertThat(w).startsWith("service 'db' reads a secret as a"
                + " group, which becomes its pod's fsGroup").contains("PGDATA=<mount>/pgdata"));
        PodSpec pod = podSpec(only(parse(export.render()), io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
                "db"));
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(999L);
        assertThat(pod.getSecurityContext().getFsGroupChangePolicy()).isEqualTo("OnRootMismatch");
        assertThat(export.render()).contains("# Needs Kubernetes 1.27 or later");
    }
}
