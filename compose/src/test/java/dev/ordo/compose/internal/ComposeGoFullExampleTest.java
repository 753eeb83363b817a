package dev.ordo.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ordo.Build;
import dev.ordo.Container;
import dev.ordo.HealthCheck;
import dev.ordo.Mount;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import dev.ordo.compose.ComposeException;
import dev.ordo.compose.ComposeFile;
import dev.ordo.compose.ComposeImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose-go's {@code loader/full-example.yml} (every key of the Compose specification, see
 * {@code src/test/resources/compose-go/README.md}) read by Ordo. The loader must give what compose-go's
 * {@code TestFullExample} expects ({@code full-example-expected.yml}) for every key Ordo reads; the pipeline to a
 * deployment must refuse the file (it is not a consistent project: {@code network_mode} and {@code networks},
 * undefined services, an undeclared volume, Swarm's external secrets) naming each thing it refuses, and, once those
 * are taken out, honour every other service key or name it in a warning: nothing is dropped silently.
 */
class ComposeGoFullExampleTest {
    private static final String HOME = System.getProperty("user.home");
    /** The environment compose-go's TestFullExample loads with. */
    private static final Map<String, String> ENV = Map.of("HOME", HOME, "BAR", "this is a secret", "QUX",
            "qux_from_environment");
    /** Service keys Ordo reads (ServiceReader.SUPPORTED), and, below them, the parts it reads. */
    private static final Set<String> SERVICE_KEYS = Set.of("image", "build", "command", "entrypoint", "environment",
            "env_file", "ports", "expose", "volumes", "tmpfs", "healthcheck", "depends_on", "restart", "deploy",
            "profiles", "secrets", "configs", "working_dir", "stop_grace_period", "labels", "user", "read_only",
            "networks", "container_name");

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void copyTheExample() throws Exception {
        for (String f : List.of("full-example.yml", "example1.env", "example2.env")) {
            Files.copy(ComposeGoCasesTest.DATA.resolve(f), dir.resolve(f));
        }
        file = dir.resolve("full-example.yml");
    }

    @Test
    void theLoaderGivesWhatComposeGoExpectsForEveryKeyOrdoReads() throws Exception {
        List<String> warnings = new ArrayList<>();
        ProjectLoader.Loaded loaded = new ProjectLoader(ENV, warnings::add).load(List.of(file), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
        // TestFullExample skips normalization and the consistency check: the canonical form of the raw tree
        ObjectNode actual = ComposeGoCanon.project(loaded, false, Set.of());
        Path expectedFile = ComposeGoCasesTest.DATA.resolve("full-example-expected.yml");
        JsonNode expected = keysOrdoReads(YamlTree.parse(expectedFile, Files.readString(expectedFile)).root());
        assertThat(TreeMatch.partial(expected, actual, dir)).as("differences from full-example-expected.yml").isEmpty();
        assertThat(actual.path("project_name").asText()).isEqualTo("full_example_project_name");
        // the deprecated external.name is read as compose-go reads it, and said to be deprecated
        assertThat(warnings).anyMatch(w -> w.contains("networks.other-external-network: external.name is deprecated"))
                .anyMatch(w -> w.contains("volumes.other-external-volume: external.name is deprecated"));
    }

    /** The expectation, down to the keys Ordo reads (the rest it names in warnings, see below). */
    private static JsonNode keysOrdoReads(JsonNode expected) {
        ObjectNode out = ((ObjectNode) expected).deepCopy();
        out.retain("project_name", "services", "networks", "volumes", "secrets", "configs");
        out.get("services").forEach(n -> {
            ObjectNode s = (ObjectNode) n;
            if (s.path("other_keys").has("container_name")) {
                s.set("container_name", s.get("other_keys").get("container_name"));
            }
            s.retain(SERVICE_KEYS);
            if (s.has("build")) {
                ((ObjectNode) s.get("build")).retain("context", "dockerfile", "args", "target", "labels");
            }
            if (s.has("deploy")) {
                ObjectNode d = (ObjectNode) s.get("deploy");
                d.retain("replicas", "resources", "restart_policy");
                ((ObjectNode) d.get("resources")).retain("limits", "reservations");
                d.get("resources").forEach(r -> ((ObjectNode) r).retain("cpus", "memory"));
                ((ObjectNode) d.get("restart_policy")).retain("condition", "max_attempts");
            }
            if (s.has("healthcheck")) {
                ((ObjectNode) s.get("healthcheck")).remove("start_interval");
            }
            s.path("ports").forEach(p -> ((ObjectNode) p).remove("mode"));
            s.path("volumes").forEach(v -> ((ObjectNode) v).retain("type", "source", "target", "read_only", "bind"));
            s.path("networks").forEach(x -> {
                if (x.isObject()) {
                    ((ObjectNode) x).retain("aliases");
                }
            });
        });
        out.get("networks").forEach(n -> ((ObjectNode) n).retain("external", "internal", "name"));
        out.get("volumes").forEach(n -> ((ObjectNode) n).retain("external", "name", "driver", "driver_opts"));
        for (String k : List.of("secrets", "configs")) {
            out.get(k).forEach(n -> ((ObjectNode) n).retain("file", "environment", "external"));
        }
        return out;
    }

    /** What the pipeline refuses in the example as it is, each naming the thing at fault. */
    private static final List<String> REFUSED = List.of(
            "service 'foo': 'network_mode' is not supported",
            "service 'foo': 'privileged' is not supported",
            "service 'foo': 'ipc' is not supported",
            "service 'foo': 'pid' is not supported",
            "service 'foo': 'links' is not supported",
            "service 'foo': depends_on: 'db' is not a service of this project",
            "service 'foo': depends_on: 'redis' is not a service of this project",
            "service 'foo': volumes: 'datavolume' is not declared in the top-level volumes",
            "service 'foo': networks: 'other-other-network' is not declared in the top-level networks",
            "secret 'secret2' is external (a Swarm secret), which Ordo cannot read",
            "secret 'secret3' is external (a Swarm secret), which Ordo cannot read",
            "config 'config2' is external (a Swarm secret), which Ordo cannot read",
            "config 'config3' is external (a Swarm secret), which Ordo cannot read");

    /** Service keys of the example Ordo does not honour and says so in a warning. */
    private static final List<String> IGNORED = List.of("annotations", "cap_add", "cap_drop", "cgroup_parent",
            "device_cgroup_rules", "devices", "dns", "dns_search", "domainname", "external_links", "extra_hosts",
            "hostname", "logging", "mac_address", "security_opt", "stdin_open", "sysctls", "tty",
            "ulimits", "uts");

    @Test
    void thePipelineRefusesTheExampleNamingWhatItCannotRunAndWarnsOfWhatItIgnores() {
        ComposeException refused = catchThrowableOfType(() -> ComposeFile.at(file).env(ENV).load(),
                ComposeException.class);
        assertThat(refused).as("the example is not a consistent project; Ordo refuses it").isNotNull();
        for (String words : REFUSED) {
            assertThat(refused.problems()).as("a problem naming: " + words).anyMatch(p -> p.contains(words));
        }
        assertThat(refused.problems()).hasSize(REFUSED.size());
        List<String> warnings = warnings();
        for (String key : IGNORED) {
            assertThat(warnings).as("a warning naming " + key)
                    .anyMatch(w -> w.contains("service 'foo': '" + key + "'"));
        }
    }

    /** The warnings of the example as it is: what strict mode adds to the problems. */
    private List<String> warnings() {
        List<String> problems = catchThrowableOfType(() -> ComposeFile.at(file).env(ENV).load(),
                ComposeException.class).problems();
        List<String> all = new ArrayList<>(catchThrowableOfType(() -> ComposeFile.at(file).env(ENV).strict().load(),
                ComposeException.class).problems());
        problems.forEach(all::remove);
        return all;
    }

    @Test
    void withWhatItRefusesTakenOutEveryServiceKeyIsHonouredOrNamed() throws Exception {
        List<String> refused = catchThrowableOfType(() -> ComposeFile.at(file).env(ENV).load(),
                ComposeException.class).problems();
        // take out exactly what the pipeline refused, and nothing else
        ObjectNode tree = (ObjectNode) YamlTree.parse(file, Files.readString(file)).root().deepCopy();
        ObjectNode foo = (ObjectNode) tree.at("/services/foo");
        Map<String, Runnable> takeOut = new LinkedHashMap<>();
        for (String k : List.of("network_mode", "privileged", "ipc", "pid", "links", "depends_on")) {
            takeOut.put("service 'foo': " + (k.equals("depends_on") ? "depends_on: 'db'" : "'" + k + "'"),
                    () -> foo.remove(k));
        }
        takeOut.put("'datavolume' is not declared", () -> removeIf(foo, "volumes",
                v -> v.asText().startsWith("datavolume:")));
        takeOut.put("'other-other-network' is not declared", () -> ((ObjectNode) foo.get("networks"))
                .remove("other-other-network"));
        for (String kind : List.of("secret", "config")) {
            String section = kind + "s";
            takeOut.put(kind + " '" + kind + "2' is external", () -> {
                ((ObjectNode) tree.get(section)).remove(kind + "2");
                removeIf(foo, section, v -> v.path("source").asText().equals(kind + "2"));
            });
            takeOut.put(kind + " '" + kind + "3' is external",
                    () -> ((ObjectNode) tree.get(section)).remove(kind + "3"));
        }
        takeOut.forEach((words, action) -> {
            assertThat(refused).as("what is taken out was refused: " + words).anyMatch(p -> p.contains(words));
            action.run();
        });
        Path consistent = Files.writeString(dir.resolve("consistent.yml"), new YAMLMapper().writeValueAsString(tree));

        ComposeImport imported = ComposeFile.at(consistent).env(ENV).load();
        List<String> warnings = imported.warnings();
        Service s = (Service) imported.deployment().requireNode("foo");
        Container c = s.container();
        Map<String, Runnable> honoured = new LinkedHashMap<>();
        honoured.put("image", () -> assertThat(c.image()).isEqualTo("redis"));
        honoured.put("stop_signal", () -> assertThat(c.stopSignal()).isEqualTo("SIGUSR1"));
        honoured.put("build", () -> {
            assertThat(c.build()).contains(Build.context(dir.resolve("dir").toString()).dockerfile("Dockerfile")
                    .arg("foo", "bar").target("foo").label("FOO", "BAR"));
            for (String k : List.of("ssh", "network", "cache_from", "additional_contexts", "secrets", "tags",
                    "platforms")) {
                assertThat(warnings).anyMatch(w -> w.contains("service 'foo': build." + k + " is not supported"));
            }
        });
        honoured.put("command", () -> assertThat(c.command()).containsExactly("bundle", "exec", "thin", "-p", "3000"));
        honoured.put("entrypoint", () -> assertThat(c.entrypoint()).containsExactly("/code/entrypoint.sh", "-p",
                "3000"));
        Runnable environment = () -> assertThat(c.environment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "FOO", "foo_from_env_file", "ENV.WITH.DOT", "ok", "ENV_WITH_UNDERSCORE", "ok",
                "BAR", "bar_from_env_file_2", "BAZ", "baz_from_service_def", "QUX", "qux_from_environment"));
        honoured.put("environment", environment);
        honoured.put("env_file", environment);
        honoured.put("expose", () -> assertThat(c.ports()).contains(Port.of(3000), Port.of(8000)));
        honoured.put("ports", () -> {
            List<Port> published = new ArrayList<>(List.of(Port.published(8000, 8000), Port.published(9090, 8080),
                    Port.published(9091, 8081), Port.published(49100, 22), Port.published(8001, 8001)
                            .onHostIp("127.0.0.1")));
            for (int p = 5000; p <= 5010; p++) {
                published.add(Port.published(p, p).onHostIp("127.0.0.1"));
            }
            assertThat(c.ports()).containsAll(published);
            // no host port: Compose lets the engine pick one; Ordo exposes them only, and says so
            assertThat(c.ports()).contains(Port.of(3000), Port.of(3001), Port.of(3005));
            assertThat(warnings).anyMatch(w -> w.contains("ports: '3001-3005' has no host port"));
        });
        honoured.put("volumes", () -> {
            assertThat(c.mounts()).contains(Mount.volume("foo-data-1", "/var/lib/anonymous"),
                    Mount.bind("/opt/data", "/var/lib/data"), Mount.bind(dir.toString(), "/code"),
                    Mount.bind(dir.resolve("static").toString(), "/var/www/html"),
                    Mount.bind(Path.of(HOME, "configs").toString(), "/etc/configs").asReadOnly(),
                    Mount.bind(dir.resolve("opt").toString(), "/opt/cached"), Mount.tmpfs("/opt/tmpfs"));
            assertThat(warnings).anyMatch(w -> w.contains("the anonymous volume at /var/lib/anonymous becomes the"
                            + " named volume 'foo-data-1'"))
                    .anyMatch(w -> w.contains("consistency 'cached' of /opt/cached is ignored"))
                    .anyMatch(w -> w.contains("the tmpfs options of /opt/tmpfs are not kept"));
        });
        honoured.put("tmpfs", () -> assertThat(c.mounts()).contains(Mount.tmpfs("/run"), Mount.tmpfs("/tmp")));
        honoured.put("healthcheck", () -> {
            assertThat(c.healthCheck()).contains(HealthCheck.shell("echo \"hello world\"").interval(Duration
                    .ofSeconds(10)).timeout(Duration.ofSeconds(1)).retries(5).startPeriod(Duration.ofSeconds(15)));
            assertThat(warnings).anyMatch(w -> w.contains("service 'foo': healthcheck.start_interval is ignored"));
        });
        // Compose v2 runs deploy.restart_policy when it is given, over restart (docker/compose getRestartPolicy)
        Runnable restart = () -> {
            assertThat(s.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
            assertThat(s.maxRestarts()).isEqualTo(3);
        };
        honoured.put("restart", restart);
        honoured.put("deploy", () -> {
            assertThat(s.replicas()).isEqualTo(6);
            restart.run();
            assertThat(c.resources().cpuLimit()).isEqualTo("1m");
            assertThat(c.resources().memoryLimit()).isEqualTo("50Mi");
            assertThat(c.resources().memoryRequest()).isEqualTo("20Mi");
            assertThat(c.resources().cpuRequest()).isEqualTo("0.0001"); // a tenth of a millicore, as written
            for (String k : List.of("mode", "labels", "rollback_config", "update_config", "placement",
                    "endpoint_mode", "restart_policy.delay", "restart_policy.window",
                    "resources.reservations.generic_resources")) {
                assertThat(warnings).anyMatch(w -> w.contains("service 'foo': deploy." + k + " is not supported"));
            }
        });
        honoured.put("secrets", () -> assertThat(c.secrets()).contains(SecretRef.file("secret1",
                "/run/secrets/secret1").mode(0444))); // Compose's default mode
        honoured.put("configs", () -> assertThat(c.secrets()).contains(SecretRef.file("config1", "/config1")
                .mode(0444)));
        honoured.put("container_name", () -> {
            assertThat(c.networking().aliases()).contains("my-web-container");
            assertThat(warnings).anyMatch(w -> w.contains("container_name 'my-web-container' is kept as a network"
                    + " alias"));
        });
        honoured.put("labels", () -> assertThat(s.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "com.example.description", "Accounting webapp", "com.example.number", "42",
                "com.example.empty-label", "")));
        honoured.put("networks", () -> {
            assertThat(c.networking().networks()).containsExactlyInAnyOrder("some-network", "other-network");
            assertThat(c.networking().aliases()).contains("alias1", "alias3");
            for (String k : List.of("ipv4_address", "ipv6_address", "mac_address")) {
                assertThat(warnings).anyMatch(w -> w.contains("networks.other-network." + k + " is not supported"));
            }
        });
        honoured.put("read_only", () -> assertThat(c.security().readOnlyRootFilesystem()).isTrue());
        honoured.put("user", () -> assertThat(c.security().dockerUser()).isEqualTo("someone"));
        honoured.put("working_dir", () -> assertThat(c.workingDir()).isEqualTo("/code"));
        honoured.put("stop_grace_period", () -> assertThat(c.stopGracePeriod()).isEqualTo(Duration.ofSeconds(20)));

        List<String> namedSomewhere = new ArrayList<>(refused);
        namedSomewhere.addAll(warnings);
        JsonNode original = YamlTree.parse(file, Files.readString(file)).root();
        List<String> unaccounted = new ArrayList<>();
        original.at("/services/foo").fieldNames().forEachRemaining(k -> {
            if (k.startsWith("x-")) {
                return; // extensions are for other tools: Compose ignores them as well
            }
            Runnable check = honoured.get(k);
            if (check != null) {
                check.run();
            } else if (namedSomewhere.stream().noneMatch(m -> m.contains("service 'foo': '" + k + "'")
                    || m.contains("service 'foo': " + k + ":") || m.contains("service 'foo': " + k + "."))) {
                unaccounted.add(k);
            }
        });
        assertThat(unaccounted).as("service keys of foo neither honoured nor named in a warning or error").isEmpty();
        assertThat(IGNORED).allSatisfy(k -> assertThat(original.at("/services/foo").has(k)).isTrue());

        Service bar = (Service) imported.deployment().requireNode("bar");
        assertThat(bar.container().build()).contains(Build.context(dir.toString()));
        assertThat(warnings).anyMatch(w -> w.contains("service 'bar': build.dockerfile_inline is not supported"));
    }

    private static void removeIf(ObjectNode service, String key, Predicate<JsonNode> which) {
        ArrayNode a = (ArrayNode) service.get(key);
        for (int i = a.size() - 1; i >= 0; i--) {
            if (which.test(a.get(i))) {
                a.remove(i);
            }
        }
    }
}
