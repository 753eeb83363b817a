package dev.ordo.tck;

/**
 * The names of the contract's scenarios, for {@link BackendContract#unsupported(String)}. Names that end in a space
 * are prefixes: the scenario's name continues with a health-check kind or a restart policy.
 *
 * <pre>{@code
 * protected Optional<String> unsupported(String scenario) {
 *     return scenario.startsWith(ScenarioNames.KILLED_DEPENDENCY)
 *             ? Optional.of("a killed container is always restarted here") : Optional.empty();
 * }
 * }</pre>
 */
public final class ScenarioNames {
    public static final String ORDERING = "ordering: STARTED, HEALTHY and COMPLETED_SUCCESSFULLY hold before their"
            + " dependents start";
    public static final String HEALTH_KIND = "health: a service is HEALTHY once its check passes, check kind ";
    public static final String NEVER_HEALTHY = "health: a check that never passes is UNHEALTHY after start period +"
            + " retries x interval, its dependents never start";
    public static final String STATUS_HEALTH = "health: status judges health by core's one rule: a passing check is"
            + " HEALTHY, one that never passes UNHEALTHY once start period + retries x interval are spent";
    public static final String JOB_EXIT_CODE = "jobs: a non-zero exit fails the job with its code and its last"
            + " output line, stderr included";
    public static final String JOB_RETRIES = "jobs: a failed attempt is retried while retries remain";
    public static final String JOB_RETRIES_EXHAUSTED = "jobs: the last failed attempt fails the job";
    public static final String JOB_DEADLINE = "jobs: the active deadline counts from the job's start and kills it";
    public static final String CRASH_BEFORE_READY = "restarts: a crash before ready with restart NO is reported with"
            + " its exit code and output";
    public static final String CRASH_LOOP = "restarts: a crash loop before ready counts every restart and times out"
            + " with the last exit code and output";
    public static final String CRASH_AFTER_READY = "restarts: a crash after ready fails the run";
    public static final String RESTART_AFTER_READY = "restarts: a restart by the policy after ready is counted";
    public static final String KILLED_DEPENDENCY = "kills: a dependency killed while its dependents wait is reported"
            + " as a crash with exit code 137, restart ";
    public static final String SETTINGS_RUN = "settings: resources, a user, a node selector and tolerations do not"
            + " keep a node from running";
    public static final String LIVENESS_RESTART = "liveness: failing it restarts the replica, counted, and it is"
            + " healthy again";
    public static final String KILLED_AFTER_HEALTHY = "kills: a service killed after it was healthy fails the run";
    public static final String IDEMPOTENT_UP = "state: a second up keeps every running service and completed job";
    public static final String CHANGED_NODE = "state: a changed node is recreated alone, with its restart(true)"
            + " dependents";
    public static final String DOWN_ORDER = "state: down stops in reverse dependency order and leaves nothing";
    public static final String STOP_ORDER_THROUGH_JOBS = "state: stop keeps reverse dependency order through"
            + " exited jobs (a service that reached its database through a finished job stops first)";
    public static final String VOLUMES = "state: down keeps named volumes, down with removeVolumes removes them";
    public static final String FOREIGN_CLASH = "state: a name taken by a foreign resource is an error naming it, and"
            + " the resource is left alone";
    public static final String SECRETS = "state: secrets are delivered as files";
    public static final String POOLS = "pools: no more members run at once than the pool's slots";
    public static final String REPLICAS = "replicas: a service is HEALTHY once every replica passes";
    public static final String PLATFORM_UNREACHABLE = "platform: when the platform stops answering the run ends with"
            + " one error naming it, and no node is blamed";
    public static final String LONG_CHAIN = "scale: a chain of 10,000 nodes comes up, and a failure at its root"
            + " skips the rest";
    public static final String STAGED_NOT_STARTED = "staging: a node staged while its dependency runs is removed"
            + " when that dependency fails, leaving nothing";
    public static final String LIVING_PIPELINE = "living: a triggered run executes its on-demand steps in order with"
            + " the run's parameters, and closing the handle leaves the services running";
    public static final String LIVING_STEP_FAILS = "living: a failing step fails the run with its exit code and output"
            + " and skips the steps after it";
    public static final String LIVING_SERVICE_NOT_READY = "living: a run whose services are not ready fails naming"
            + " them, and starts no step";
    public static final String LIVING_REPLACE = "living: a replacing fire stops the running run's step, reported"
            + " stopped with a finish time, before its own step starts";

    public static final String RESTART_LIMIT = "compose: an on-failure restart limit restarts a failing service that"
            + " many times, then it crashed with its last exit code";
    public static final String EXTERNAL_VOLUME = "compose: an external volume is used when it exists, is an error"
            + " naming it when it does not, and down with removeVolumes keeps it";
    public static final String NETWORKS = "compose: nodes on an internal network and the default one, with an alias,"
            + " come up in order";
    public static final String IMAGE_HEALTH_CHECK = "compose: the image's own health check decides HEALTHY";
    public static final String BUILT_IMAGE = "compose: a node whose image is built from a Dockerfile comes up";

    private ScenarioNames() {
    }
}
