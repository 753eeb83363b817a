package dev.ordo.docker.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the engine a developer has, the way the {@code docker} CLI does: {@code DOCKER_HOST}; else the current
 * {@code docker context} ({@code DOCKER_CONTEXT}, else {@code currentContext} in {@code ~/.docker/config.json}, read
 * from the context store {@code ~/.docker/contexts/meta/<sha256 of its name>/meta.json}); else the first socket that
 * exists of the system one, rootless Docker's, Docker Desktop's, Colima's and Rancher Desktop's.
 *
 * <pre>{@code
 * EngineDiscovery.Found f = EngineDiscovery.of(System.getenv(), Path.of(System.getProperty("user.home"))).find();
 * }</pre>
 */
public final class EngineDiscovery {
    /** Where the engine was found, and how (for messages). */
    public record Found(URI host, String how) {
    }

    private static final URI SYSTEM = URI.create("unix:///var/run/docker.sock");
    private final Map<String, String> env;
    private final Path home;

    private EngineDiscovery(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    public static EngineDiscovery of(Map<String, String> env, Path home) {
        return new EngineDiscovery(Map.copyOf(env), home);
    }

    private Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * The engine to use.
     *
     * @throws IllegalArgumentException naming {@code DOCKER_HOST} or the context, and the form expected, when one is
     *                                  set but unusable
     */
    public Found find() {
        Optional<String> dockerHost = env("DOCKER_HOST");
        if (dockerHost.isPresent()) {
            return new Found(uri(dockerHost.get(), "DOCKER_HOST"), "DOCKER_HOST");
        }
        Path config = env("DOCKER_CONFIG").map(Path::of).orElse(home.resolve(".docker"));
        Optional<String> context = env("DOCKER_CONTEXT").or(() -> currentContext(config));
        if (context.isPresent() && !"default".equals(context.get())) {
            return new Found(contextHost(config, context.get()), "docker context '" + context.get() + "'");
        }
        for (Path socket : candidates()) {
            if (Files.exists(socket)) {
                return new Found(URI.create("unix://" + socket), "socket " + socket);
            }
        }
        return new Found(SYSTEM, "the default socket (none of the usual sockets exists)");
    }

    /** The sockets tried, in order, when neither DOCKER_HOST nor a context says. */
    List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        c.add(Path.of("/var/run/docker.sock"));
        env("XDG_RUNTIME_DIR").ifPresent(d -> c.add(Path.of(d, "docker.sock")));          // rootless Docker
        c.add(home.resolve(".docker/run/docker.sock"));                                  // Docker Desktop
        c.add(home.resolve(".docker/desktop/docker.sock"));                              // Docker Desktop (Linux)
        c.add(home.resolve(".colima/default/docker.sock"));                              // Colima
        c.add(home.resolve(".colima/docker.sock"));
        c.add(home.resolve(".rd/docker.sock"));                                          // Rancher Desktop
        return c;
    }

    private static Optional<String> currentContext(Path config) {
        Path file = config.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile()).path("currentContext");
            return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Docker CLI's " + file + " (" + e.getMessage()
                    + "); fix the file, or set DOCKER_HOST", e);
        }
    }

    private static URI contextHost(Path config, String context) {
        Path meta = config.resolve("contexts/meta").resolve(sha256(context)).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new IllegalArgumentException("the current docker context '" + context + "' is not in the context"
                    + " store (" + meta + " is missing); run `docker context use default` or set DOCKER_HOST");
        }
        try {
            JsonNode host = new ObjectMapper().readTree(meta.toFile()).path("Endpoints").path("docker").path("Host");
            if (!host.isTextual() || host.asText().isBlank()) {
                throw new IllegalArgumentException("docker context '" + context + "' names no Docker endpoint in "
                        + meta + "; recreate it with `docker context create " + context + " --docker host=...`");
            }
            return uri(host.asText(), "docker context '" + context + "'");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read docker context '" + context + "' from " + meta + " ("
                    + e.getMessage() + "); fix it, or set DOCKER_HOST", e);
        }
    }

    private static URI uri(String value, String from) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || !List.of("unix", "tcp", "npipe", "ssh").contains(u.getScheme())) {
                throw new URISyntaxException(value, "no unix:// or tcp:// scheme");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(from + " '" + value + "' is not an engine address; expected"
                    + " unix:///path/to/docker.sock or tcp://host:port", e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
