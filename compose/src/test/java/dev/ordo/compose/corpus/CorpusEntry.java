package dev.ordo.compose.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ordo.compose.ComposeFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One entry of the corpus of real compose files ({@code src/test/resources/corpus/<id>/corpus.yml}): the files a
 * project publishes, the install step its documentation gives (a copied example file, a written {@code .env},
 * variables, profiles), and what Compose v2 makes of them (services, jobs, edges).
 *
 * <pre>{@code
 * for (CorpusEntry e : CorpusEntry.all()) {
 *     ComposeImport i = e.composeFile(tempDir).load();
 * }
 * }</pre>
 */
record CorpusEntry(String id, Path dir, JsonNode spec) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<CorpusEntry> all() {
        try {
            Path root = Path.of(CorpusEntry.class.getResource("/corpus").toURI());
            List<CorpusEntry> out = new ArrayList<>();
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path d : dirs.sorted().toList()) {
                    if (Files.isRegularFile(d.resolve("corpus.yml"))) {
                        out.add(new CorpusEntry(d.getFileName().toString(), d, YAML.readTree(d.resolve("corpus.yml")
                                .toFile())));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the entry in {@code work} with the setup step done, and the compose files to load there. */
    ComposeFile composeFile(Path work) throws IOException {
        copyTree(dir, work);
        JsonNode setup = spec.path("setup");
        for (var it = setup.path("copy").fields(); it.hasNext(); ) {
            var e = it.next();
            Path to = work.resolve(e.getValue().asText());
            Files.createDirectories(to.getParent());
            Files.copy(work.resolve(e.getKey()), to, StandardCopyOption.REPLACE_EXISTING);
        }
        for (var it = setup.path("write").fields(); it.hasNext(); ) {
            var e = it.next();
            Path to = work.resolve(e.getKey());
            Files.createDirectories(to.getParent());
            Files.writeString(to, e.getValue().asText());
        }
        List<Path> files = new ArrayList<>();
        spec.path("files").forEach(f -> files.add(work.resolve(f.asText())));
        ComposeFile f = ComposeFile.files(files).env(env());
        List<String> profiles = new ArrayList<>();
        setup.path("profiles").forEach(p -> profiles.add(p.asText()));
        return profiles.isEmpty() ? f : f.profiles(profiles.toArray(String[]::new));
    }

    /** The variables the setup step sets, and nothing of this machine's environment. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        spec.path("setup").path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    TreeSet<String> expected(String key) {
        TreeSet<String> out = new TreeSet<>();
        spec.path("expect").path(key).forEach(x -> out.add(x.asText()));
        return out;
    }

    boolean onDocker() {
        return spec.path("expect").path("docker").asBoolean(false);
    }

    String project() {
        return spec.path("project").asText(id);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
