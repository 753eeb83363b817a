package dev.ordo.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.compose.ComposeFile;
import dev.ordo.compose.ComposeImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose-go's loader expectations ({@code src/test/resources/compose-go/loader-cases.yml}, ported from the tests of
 * compose-spec/compose-go, see its README) run against Ordo's loader, one dynamic test per case.
 *
 * <p>Each case writes its files into a directory of its own and runs its kind: {@code load} and {@code cli} through
 * {@link ProjectLoader} (and, where compose-go checks consistency, the whole {@link ComposeFile} pipeline to a
 * deployment, which must then load too), {@code model}/{@code merge}/{@code unicity} on the raw trees
 * ({@link ComposeMerge}), {@code dotenv} through {@link EnvFile}, {@code template} through {@link Interpolation},
 * {@code port} and {@code volume} through the pipeline into Ordo's {@link dev.ordo.Port} and {@link Mount}. The
 * result is written in compose-go's canonical form ({@link ComposeGoCanon}) and compared with {@code expect}
 * ({@link TreeMatch}); an {@code error} case must fail, with a message naming the thing at fault
 * ({@link #ORDO_ERROR} maps compose-go's wording to Ordo's where they differ).
 *
 * <p>Where Ordo differs from Compose on purpose the case is in {@link #KNOWN_DIFFERENCES}, with the reason; its
 * test asserts what Ordo does instead and says so in its name. A summary line is printed at the end.
 */
class ComposeGoCasesTest {
    static final Path DATA = resource("compose-go");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    static Path tmp;

    private static final AtomicInteger RUN = new AtomicInteger();
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger KNOWN = new AtomicInteger();

    /**
     * Ordo's words for compose-go's error, per case: the substring Ordo's message must contain. Cases not listed
     * must contain compose-go's own substring.
     */
    static final Map<String, String> ORDO_ERROR = Map.ofEntries(
            Map.entry("tab used as indentation is a YAML error", "YAML indents with spaces, not tabs"),
            Map.entry("external volume with driver is refused",
                    "volume 'external_volume' is external and sets a driver"),
            Map.entry("negative tmpfs size is refused", "tmpfs.size of /app must be greater than or equal to 0"),
            Map.entry("long bind mount without source is refused", "has a bind mount with no host path"),
            Map.entry("include of itself is a cycle",
                    "include cycle: compose-include-cycle.yaml -> compose-include-cycle.yaml"),
            Map.entry("depends_on cycle across three services",
                    "dependency cycle service1 -> service2 -> service3 -> service1"),
            Map.entry("depends_on itself is a cycle", "service 'service1': depends_on names the service itself"),
            // Ordo refuses network_mode itself (it cannot honour it), whether or not networks is set too
            Map.entry("network_mode together with networks is refused",
                    "service 'redis': 'network_mode' is not supported"),
            Map.entry("blank around equals in environment list entry is refused",
                    "variable 'DEBUG ' is declared with a trailing space"),
            Map.entry("extends without service is refused", "service 'test' extends nothing"),
            Map.entry("extended depends_on must exist in the extending project",
                    "service 'bar': depends_on: 'zot' is not a service of this project"),
            // volumes_from, ipc and network_mode are refused themselves, before the service they name is looked for
            Map.entry("extended volumes_from must exist in the extending project",
                    "service 'bar': 'volumes_from' is not supported"),
            Map.entry("extended ipc service reference must exist in the extending project",
                    "service 'bar': 'ipc' is not supported"),
            Map.entry("extended network_mode service reference must exist in the extending project",
                    "service 'bar': 'network_mode' is not supported"),
            Map.entry("network_mode service must name an existing service",
                    "service 'myservice2': 'network_mode' is not supported"),
            Map.entry("merge key pointing at its own anchor is a cycle",
                    "an alias refers to a value that contains it"),
            Map.entry("named volume must be declared at top level",
                    "service 'myservice': volumes: 'myVolume' is not declared in the top-level volumes"),
            Map.entry("service needs an image or a build",
                    "service 'myservice': has no image; give one (image: NAME:TAG) or build one"),
            Map.entry("secret needs file or environment", "secret 'foo' has no source; give it as file: PATH or"
                    + " environment: VARIABLE"),
            Map.entry("depends_on an undeclared service is refused",
                    "service 'myservice': depends_on: 'missingservice' is not a service of this project"),
            Map.entry("env_file inside an included project interpolates with the include env_file",
                    "variable VAR is required"),
            Map.entry("-p starting with a dash is refused", "project name '-my_project' (-p) is invalid"),
            Map.entry("COMPOSE_PROJECT_NAME starting with a dash is refused",
                    "project name '-my_project' (COMPOSE_PROJECT_NAME) is invalid"),
            Map.entry("-p starting with an underscore is refused", "project name '_my_project' (-p) is invalid"),
            Map.entry("COMPOSE_PROJECT_NAME starting with an underscore is refused",
                    "project name '_my_project' (COMPOSE_PROJECT_NAME) is invalid"),
            Map.entry("-p with dots is refused", "project name 'www.my.project' (-p) is invalid"),
            Map.entry("COMPOSE_PROJECT_NAME with dots is refused",
                    "project name 'www.my.project' (COMPOSE_PROJECT_NAME) is invalid"),
            Map.entry("-p with uppercase is refused", "project name 'MY_PROJECT' (-p) is invalid"),
            Map.entry("COMPOSE_PROJECT_NAME with uppercase is refused",
                    "project name 'MY_PROJECT' (COMPOSE_PROJECT_NAME) is invalid"),
            Map.entry("port number too large", "has port 9999999, which is out of range"),
            Map.entry("port unknown protocol", "has port protocol 'xyz'"),
            Map.entry("port empty", "ports: '' is not a port number"),
            Map.entry("dotenv required variable error", "variable EMPTY_VAR is required: Test error"),
            Map.entry("template open brace only is invalid", "unclosed ${ in '${'"),
            Map.entry("template empty braces are invalid", "'${}' in '${}' names no variable"),
            Map.entry("template blank in braces is invalid", "'${ }' in '${ }' names no variable"),
            Map.entry("template leading blank in name is invalid", "'${ foo}' in '${ foo}' names no variable"),
            Map.entry("template trailing blank in name is invalid",
                    "'${foo }' in '${foo }' is not a variable reference"),
            Map.entry("template bad character in name is invalid",
                    "'${foo!}' in '${foo!}' is not a variable reference"),
            Map.entry("template required variable unset",
                    "variable UNSET_VAR is required: Mandatory Variable Unset"),
            Map.entry("template required non-empty variable empty",
                    "variable BAR is required: Mandatory Variable Empty"),
            Map.entry("template required variable without message", "variable UNSET_VAR is required"),
            Map.entry("template required message is interpolated",
                    "variable UNSET_VAR is required: Mandatory Variable first"),
            Map.entry("template question mark reason keeps dashes", "variable UNSET_VAR is required: bar-baz"));

    /** What Ordo does instead of what compose-go expects, and why; the check asserts it. */
    record Known(String reason, boolean treeAsExpected, Consumer<Outcome> ordo) {
    }

    /** Cases where Ordo differs from Compose on purpose. */
    static final Map<String, Known> KNOWN_DIFFERENCES = Map.ofEntries(
            // keys Ordo cannot honour are refused, not run differently (ServiceReader.REFUSED)
            Map.entry("build shorthand and context get default Dockerfile and absolute context", new Known(
                    "Ordo refuses links (nodes reach each other by service name; depends_on gives the order)", true,
                    refuses("service 'web': 'links' is not supported"))),
            Map.entry("active profile enables its services services without profile stay on", new Known(
                    "Ordo refuses links, which this project's service_6 uses", true,
                    refuses("service 'service_6': 'links' is not supported"))),
            Map.entry("no active profile leaves only services without profiles", new Known(
                    "Ordo refuses links, which this project's service_6 uses", true,
                    refuses("service 'service_6': 'links' is not supported"))),
            Map.entry("network_mode service and volumes_from add implicit depends_on", new Known(
                    "Ordo refuses network_mode and volumes_from (every node runs on the deployment's networks and"
                            + " gets its own volumes), so there are no implicit dependencies to add", true,
                    refuses("service 'foo': 'network_mode' is not supported",
                            "service 'bar': 'volumes_from' is not supported"))),
            Map.entry("ipc pid uts links and volumes_from add implicit depends_on", new Known(
                    "Ordo refuses ipc, pid, links and volumes_from (it shares no namespaces between nodes) and"
                            + " warns that uts is ignored, so there are no implicit dependencies to add", true,
                    refuses("service 'test': 'ipc' is not supported", "service 'test': 'pid' is not supported",
                            "service 'test': 'links' is not supported",
                            "service 'test': 'volumes_from' is not supported"))),
            Map.entry("network_mode container name of another service is accepted", new Known(
                    "Ordo refuses network_mode, container:NAME included (every node runs on the deployment's"
                            + " networks)", true, refuses("service 'myservice2': 'network_mode' is not supported"))),
            // Ordo's loader is the CLI's too: a project always has a name
            Map.entry("no name and no project name option is refused", new Known(
                    "Ordo loads as `docker compose` does, CLI layer included: a project without name: or -p is"
                            + " named after its directory", false, o -> {
                                assertThat(o.error()).isNull();
                                assertThat(o.actual().path("project_name").asText()).isEqualTo(ProjectLoader
                                        .normalize(o.workdir().getFileName().toString()));
                            })),
            Map.entry("COMPOSE_PROJECT_NAME in the environment alone does not name the project", new Known(
                    "Ordo loads as `docker compose` does, CLI layer included: COMPOSE_PROJECT_NAME names the"
                            + " project", false, o -> {
                                assertThat(o.error()).isNull();
                                assertThat(o.actual().path("project_name").asText()).isEqualTo("testproject");
                                assertThat(o.actual().at("/services/web/container_name").asText())
                                        .isEqualTo("testproject-web");
                            })),
            // Ordo does not validate against the Compose schema below the top level: what it does not know, it names
            Map.entry("unknown key under deploy resources is refused", new Known(
                    "Ordo does not validate the Compose JSON schema below the top level; a key it does not read"
                            + " is named in a warning", false, warns("deploy.resources.impossible is not supported"))),
            // the model has no room for it
            Map.entry("port host range to one container port stays one entry", new Known(
                    "Ordo publishes a container port on one host port: of a host range it takes the first (and"
                            + " says so), where the engine would pick a free one", false, o -> {
                                assertThat(o.error()).isNull();
                                assertThat(node(o, "s").container().ports())
                                        .containsExactly(dev.ordo.Port.published(80, 8080));
                                assertThat(o.warnings()).anyMatch(w -> w.contains("lets Compose pick one free host"
                                        + " port of a range; Ordo publishes 80"));
                            })),
            Map.entry("volume anonymous", new Known(
                    "Ordo keeps volumes by name across ups: an anonymous volume becomes a named one (and it says"
                            + " so)", false, o -> {
                                assertThat(o.error()).isNull();
                                assertThat(node(o, "s").container().mounts())
                                        .containsExactly(Mount.volume("s-data-1", "/path/foo"));
                                assertThat(o.warnings()).anyMatch(w -> w.contains("the anonymous volume at /path/foo"
                                        + " becomes the named volume 's-data-1'"));
                            })),
            Map.entry("volume named with nocopy", new Known(
                    "Ordo's mounts have no nocopy: the engine copies the image's content into a new empty volume"
                            + " (Ordo says so)", false, o -> {
                                assertThat(o.error()).isNull();
                                assertThat(node(o, "s").container().mounts())
                                        .containsExactly(Mount.volume("name", "/target"));
                                assertThat(o.warnings()).anyMatch(w -> w.contains("nocopy is not kept"));
                            })));

    /** Ordo refuses the project, with every one of {@code words} in its message. */
    static Consumer<Outcome> refuses(String... words) {
        return o -> {
            assertThat(o.pipelineError()).as("%s: Ordo refuses it", o.c().name()).isNotNull();
            for (String w : words) {
                assertThat(o.pipelineError()).contains(w);
            }
        };
    }

    /** Ordo loads the project and names {@code words} in a warning. */
    static Consumer<Outcome> warns(String words) {
        return o -> {
            assertThat(o.pipelineError()).as("%s: Ordo loads it", o.c().name()).isNull();
            assertThat(o.warnings()).as("%s: Ordo's warnings", o.c().name()).anyMatch(w -> w.contains(words));
        };
    }

    /** What running a case gave. */
    record Outcome(Case c, Path root, Path workdir, JsonNode actual, String error, List<String> warnings,
                   Optional<ComposeImport> imported, String pipelineError) {
    }

    /** One entry of loader-cases.yml. */
    record Case(int index, String name, String from, String kind, Map<String, String> env,
                Map<String, String> files, JsonNode args, String input, JsonNode expect, String error) {
        boolean arg(String key) {
            return args.path(key).asBoolean(false);
        }
    }

    static Path resource(String path) {
        try {
            return Path.of(ComposeGoCasesTest.class.getResource("/" + path).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases() throws IOException {
        Path file = DATA.resolve("loader-cases.yml");
        JsonNode root = YamlTree.parse(file, Files.readString(file)).root();
        List<Case> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode c : root) {
            String name = c.get("name").asText();
            if (!names.add(name)) {
                throw new IllegalStateException("two cases are named " + name);
            }
            Map<String, String> env = new LinkedHashMap<>();
            c.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            Map<String, String> files = new LinkedHashMap<>();
            c.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
            out.add(new Case(out.size() + 1, name, c.path("from").asText(), c.path("kind").asText("load"), env, files,
                    c.path("args"), c.has("input") ? c.get("input").asText() : null,
                    c.has("expect") ? c.get("expect") : null, c.has("error") ? c.get("error").asText() : null));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> composeGoCases() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSize(229);
        assertThat(KNOWN_DIFFERENCES.keySet()).allSatisfy(n -> assertThat(cases).anyMatch(c -> c.name().equals(n)));
        assertThat(ORDO_ERROR.keySet()).allSatisfy(n -> assertThat(cases).anyMatch(c -> c.name().equals(n)
                && c.error() != null));
        return cases.stream().map(c -> {
            Known known = KNOWN_DIFFERENCES.get(c.name());
            String display = "[" + c.kind() + "] " + c.name() + (known == null ? ""
                    : " — KNOWN DIFFERENCE: " + known.reason());
            return DynamicTest.dynamicTest(display, () -> {
                RUN.incrementAndGet();
                Outcome o = run(c);
                if (known != null) {
                    if (known.treeAsExpected()) {
                        assertExpected(o, false); // what compose-go loads, Ordo loads the same...
                    }
                    known.ordo().accept(o); // ...and this is what it does instead
                    KNOWN.incrementAndGet();
                } else {
                    assertExpected(o, true);
                    PASSED.incrementAndGet();
                }
            });
        });
    }

    @AfterAll
    static void summary() {
        System.out.println("compose-go loader cases: " + RUN.get() + " run, " + PASSED.get() + " passed as compose-go"
                + " expects, " + KNOWN.get() + " known differences (Ordo on purpose), "
                + (RUN.get() - PASSED.get() - KNOWN.get()) + " failed");
    }

    // ---------------------------------------------------------------------------------------------------------
    // comparing

    /** The outcome is compose-go's; {@code pipeline}: and Ordo's deployment loads where compose-go's project does. */
    static void assertExpected(Outcome o, boolean pipeline) {
        Case c = o.c();
        if (c.error() != null) {
            assertThat(o.error()).as("%s (%s): compose-go refuses this (%s); Ordo loaded it", c.name(), c.from(),
                    c.error()).isNotNull();
            String words = ORDO_ERROR.getOrDefault(c.name(), c.error());
            assertThat(o.error()).as("%s: the message names what is at fault", c.name()).contains(words);
            return;
        }
        assertThat(o.error()).as("%s: compose-go loads this", c.name()).isNull();
        JsonNode expect = c.expect();
        if (c.kind().equals("volume") && expect.has("volume") && !expect.get("volume").has("source")) {
            // compose-go's ServiceVolumeConfig has no source here: "" (a Go zero), not "any source"
            expect = expect.deepCopy();
            ((ObjectNode) expect.get("volume")).put("source", "");
        }
        List<String> diffs = switch (c.kind()) {
            case "model", "merge", "unicity" -> TreeMatch.exact(rawEntries(expect), rawEntries(o.actual()),
                    o.workdir());
            default -> TreeMatch.partial(expect, o.actual(), o.workdir());
        };
        if (c.kind().equals("port")) {
            for (JsonNode p : expect.path("ports")) {
                if (!p.has("published")) {
                    // compose-go publishes it on a port the engine picks; Ordo exposes it only, and says so
                    assertThat(o.warnings()).anyMatch(w -> w.contains("has no host port"));
                }
            }
        }
        assertThat(diffs).as("%s: differences from compose-go's expectation", c.name()).isEmpty();
        if (pipeline && o.pipelineError() != null) {
            throw new AssertionError(c.name() + ": compose-go loads this project with its consistency check on; Ordo's"
                    + " pipeline refused it: " + o.pipelineError());
        }
    }

    /**
     * The raw model with {@code environment}, {@code labels} and the other key=value lists as maps (last value
     * wins): compose-go keeps them as {@code K=V} sequences, Ordo's merge as mappings; the variables are the same.
     */
    static JsonNode rawEntries(JsonNode model) {
        JsonNode m = model.deepCopy();
        m.path("model").path("services").forEach(s -> {
            if (s.isObject()) {
                for (String k : List.of("environment", "labels", "annotations", "sysctls")) {
                    if (s.has(k)) {
                        ((ObjectNode) s).set(k, ComposeMerge.asEntries(s.get(k)).deepCopy());
                    }
                }
                ((ObjectNode) s).remove(FileReader.FILE);
            }
        });
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------
    // running

    static Outcome run(Case c) throws IOException {
        Path root = tmp.resolve(String.format("%03d", c.index()) + "-" + c.name().replaceAll("[^A-Za-z0-9]+", "-"));
        Files.createDirectories(root);
        for (Map.Entry<String, String> f : c.files().entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        return switch (c.kind()) {
            case "load", "cli" -> load(c, root);
            case "model", "merge", "unicity" -> model(c, root);
            case "dotenv" -> dotenv(c, root);
            case "template" -> template(c, root);
            case "port" -> port(c, root);
            case "volume" -> volume(c, root);
            default -> throw new IllegalStateException("unknown kind " + c.kind());
        };
    }

    private static List<Path> files(Case c, Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        if (c.args().has("files")) {
            c.args().get("files").forEach(f -> files.add(root.resolve(f.asText())));
        } else {
            c.files().keySet().stream().filter(n -> !n.endsWith(".env")).findFirst()
                    .ifPresent(n -> files.add(root.resolve(n)));
        }
        if (files.isEmpty()) {
            // cli cases that only read .env: compose-go inspects the options without a project; Ordo's loader
            // needs one to read them, so give it an empty one
            Path dir = root.resolve(c.args().path("working_dir").asText("."));
            files.add(Files.writeString(dir.resolve("compose.yaml"), "services: {}\n"));
        }
        return files;
    }

    private static Outcome load(Case c, Path root) throws IOException {
        List<Path> files = files(c, root);
        Optional<Path> dir = c.args().has("working_dir") ? Optional.of(root.resolve(c.args().get("working_dir")
                .asText()).normalize()) : Optional.empty();
        Path workdir = dir.orElse(files.get(0).getParent()).toAbsolutePath().normalize();
        Optional<String> name = projectName(c, files);
        Optional<List<String>> profiles = Optional.empty();
        if (c.args().has("profiles")) {
            List<String> p = new ArrayList<>();
            c.args().get("profiles").forEach(x -> p.add(x.asText()));
            profiles = Optional.of(p);
        }
        List<String> warnings = new ArrayList<>();
        ProjectLoader.Loaded loaded;
        try {
            loaded = new ProjectLoader(c.env(), warnings::add).load(files, dir, name, profiles, List.of());
        } catch (IllegalArgumentException e) {
            return new Outcome(c, root, workdir, null, e.getMessage(), warnings, Optional.empty(), null);
        }
        // compose-go checks consistency unless told not to; Ordo always does, in the pipeline to a deployment
        boolean pipeline = c.error() != null || !c.arg("skip_consistency_check");
        Optional<ComposeImport> imported = Optional.empty();
        String pipelineError = null;
        if (pipeline) {
            ComposeFile cf = ComposeFile.files(files).env(c.env());
            if (dir.isPresent()) {
                cf = cf.projectDirectory(dir.get());
            }
            if (name.isPresent()) {
                cf = cf.projectName(name.get());
            }
            if (profiles.isPresent()) {
                cf = cf.profiles(profiles.get().toArray(String[]::new));
            }
            try {
                imported = Optional.of(cf.load());
                warnings.addAll(imported.get().warnings());
            } catch (RuntimeException e) {
                pipelineError = e.getMessage();
            }
        }
        List<String> problems = new ArrayList<>();
        DeploymentReader reader = new DeploymentReader(loaded, problems::add, x -> { });
        reader.read();
        ObjectNode actual = ComposeGoCanon.project(loaded, !c.arg("skip_normalization"), reader.disabled().keySet());
        return new Outcome(c, root, workdir, actual, c.error() != null ? pipelineError : null, warnings, imported,
                pipelineError);
    }

    /** compose-go's SetProjectName: an imperative name is -p; a plain one gives way to the files' name:. */
    private static Optional<String> projectName(Case c, List<Path> files) throws IOException {
        String n = c.args().path("project_name").asText("");
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (c.arg("project_name_imperative") || c.kind().equals("cli")) {
            return Optional.of(n);
        }
        for (Path f : files) {
            if (Files.readString(f).lines().anyMatch(l -> l.startsWith("name:"))) {
                return Optional.empty();
            }
        }
        return Optional.of(n);
    }

    private static Outcome model(Case c, Path root) throws IOException {
        List<Path> files = files(c, root);
        ObjectNode model;
        try {
            if (c.kind().equals("model")) {
                model = new ProjectLoader(c.env(), x -> { }).load(files, Optional.empty(), Optional.of("model"),
                        Optional.empty(), List.of()).tree();
            } else {
                model = null;
                for (Path f : files) {
                    JsonNode t = YamlTree.parse(f, Files.readString(f)).root();
                    model = model == null ? (ObjectNode) ComposeMerge.settle(t) : ComposeMerge.files(model,
                            (ObjectNode) t);
                }
                ComposeMerge.unique(model);
            }
        } catch (IllegalArgumentException e) {
            return new Outcome(c, root, root, null, e.getMessage(), List.of(), Optional.empty(), null);
        }
        return new Outcome(c, root, root, F.objectNode().set("model", model), null, List.of(), Optional.empty(),
                null);
    }

    private static Outcome dotenv(Case c, Path root) {
        Path file = root.resolve(".env");
        try {
            // env_file semantics: the file's own values, looked up with the environment first (godotenv)
            Map<String, String> own = EnvFile.readServiceFile(file, c.env()::get);
            // .env semantics: the same, then the environment wins over the file (compose's project variables)
            Map<String, String> project = EnvFile.read(file, c.env()::get);
            Map<String, String> merged = new LinkedHashMap<>(own);
            c.env().forEach((k, v) -> merged.computeIfPresent(k, (x, y) -> v));
            assertThat(project).as("%s: .env read as the project's variables", c.name()).isEqualTo(merged);
            ObjectNode actual = F.objectNode();
            own.forEach(actual.putObject("dotenv")::put);
            return new Outcome(c, root, root, actual, null, List.of(), Optional.empty(), null);
        } catch (IllegalArgumentException e) {
            return new Outcome(c, root, root, null, e.getMessage(), List.of(), Optional.empty(), null);
        }
    }

    private static Outcome template(Case c, Path root) {
        try {
            String r = new Interpolation(c.env()::get, x -> { }).apply(c.input());
            return new Outcome(c, root, root, F.objectNode().put("result", r), null, List.of(), Optional.empty(),
                    null);
        } catch (IllegalArgumentException e) {
            return new Outcome(c, root, root, null, e.getMessage(), List.of(), Optional.empty(), null);
        }
    }

    /** One short-syntax port through the pipeline: the ports of Ordo's container, in compose-go's form. */
    private static Outcome port(Case c, Path root) throws IOException {
        Path f = Files.writeString(root.resolve("compose.yaml"), "name: port\nservices:\n  s:\n    image: busybox\n"
                + "    ports:\n      - " + quoted(c.input()) + "\n");
        List<String> warnings = new ArrayList<>();
        try {
            ComposeImport imported = ComposeFile.at(f).env(Map.of()).load();
            warnings.addAll(imported.warnings());
            ObjectNode actual = F.objectNode();
            imported.deployment().requireNode("s").container().ports()
                    .forEach(p -> actual.withArray("ports").add(ComposeGoCanon.port(p)));
            return new Outcome(c, root, root, actual, null, warnings, Optional.of(imported), null);
        } catch (RuntimeException e) {
            return new Outcome(c, root, root, null, e.getMessage(), warnings, Optional.empty(), null);
        }
    }

    /** One short-syntax volume through the pipeline: the mount of Ordo's container, in compose-go's form. */
    private static Outcome volume(Case c, Path root) throws IOException {
        String[] parts = c.input().split(":");
        String declare = parts.length > 1 && !parts[0].isEmpty() && !PortsAndMounts.isBindSource(parts[0])
                ? "volumes:\n  " + quoted(parts[0]) + ": {}\n" : "";
        Path f = Files.writeString(root.resolve("compose.yaml"), "name: volume\nservices:\n  s:\n"
                + "    image: busybox\n    volumes:\n      - " + quoted(c.input()) + "\n" + declare);
        List<String> warnings = new ArrayList<>();
        try {
            ComposeImport imported = ComposeFile.at(f).env(Map.of()).load();
            warnings.addAll(imported.warnings());
            List<Mount> mounts = imported.deployment().requireNode("s").container().mounts();
            ObjectNode actual = F.objectNode();
            if (mounts.size() == 1) {
                actual.set("volume", ComposeGoCanon.mount(mounts.get(0)));
            } else {
                actual.put("volume", "mounts: " + mounts);
            }
            return new Outcome(c, root, root, actual, null, warnings, Optional.of(imported), null);
        } catch (RuntimeException e) {
            return new Outcome(c, root, root, null, e.getMessage(), warnings, Optional.empty(), null);
        }
    }

    static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Node node(Outcome o, String name) {
        Deployment d = o.imported().orElseThrow(() -> new AssertionError(o.c().name() + ": not loaded: "
                + o.pipelineError())).deployment();
        return d.requireNode(name);
    }
}
