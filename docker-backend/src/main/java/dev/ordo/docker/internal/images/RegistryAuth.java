package dev.ordo.docker.internal.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Registry credentials for a pull, from the Docker CLI's config as {@code docker pull} finds them: the registry's
 * credential helper ({@code credHelpers}), else the default store ({@code credsStore}), else {@code auths} — and
 * turned into the engine's {@code X-Registry-Auth} header. The values are never logged, never put in an exception
 * message and never in a docker-java command object (whose DEBUG log prints its fields).
 *
 * <pre>{@code
 * Optional<String> header = RegistryAuth.fromCli(System.getenv()).headerFor("registry.example.com/app:1");
 * }</pre>
 */
final class RegistryAuth {
    /** The key Docker Hub's credentials have in the CLI's config. */
    static final String DOCKER_HUB = "https://index.docker.io/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path configDir;
    private final Function<String, List<String>> helperCommand;

    RegistryAuth(Path configDir, Function<String, List<String>> helperCommand) {
        this.configDir = configDir;
        this.helperCommand = helperCommand;
    }

    /** The CLI's config: {@code DOCKER_CONFIG}, else {@code ~/.docker}; helpers are {@code docker-credential-*}. */
    static RegistryAuth fromCli(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        return new RegistryAuth(dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".docker"), h -> List.of("docker-credential-" + h, "get"));
    }

    /** The registry an image reference pulls from, as the CLI's config names it. */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return DOCKER_HUB;
    }

    /**
     * The {@code X-Registry-Auth} value for pulling {@code image}, or empty when the config has no credentials for
     * its registry (anonymous pull).
     *
     * @throws IllegalStateException naming the registry, the helper and the fix (never a credential) when a
     *                               configured helper fails or the config cannot be read
     */
    Optional<String> headerFor(String image) {
        String registry = registryOf(image);
        Path file = configDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Docker CLI's " + file + " for the credentials of "
                    + registry + "; fix the file (docker login " + registry + " rewrites it)");
        }
        Optional<String> helper = text(config.path("credHelpers").path(registry))
                .or(() -> text(config.path("credsStore")));
        if (helper.isPresent()) {
            return fromHelper(helper.get(), registry);
        }
        JsonNode entry = config.path("auths").path(registry);
        if (entry.isMissingNode() && registry.equals(DOCKER_HUB)) {
            entry = config.path("auths").path("docker.io");
        }
        Optional<String> auth = text(entry.path("auth"));
        if (auth.isPresent()) {
            String decoded = new String(Base64.getDecoder().decode(auth.get()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalStateException("the credentials of " + registry + " in " + file + " are not"
                        + " base64 of user:password; run docker login " + registry + " again");
            }
            return Optional.of(header(decoded.substring(0, colon), decoded.substring(colon + 1), registry));
        }
        return text(entry.path("identitytoken")).map(token -> encode(identity(token, registry)));
    }

    private Optional<String> fromHelper(String helper, String registry) {
        List<String> cmd = helperCommand.apply(helper);
        try {
            Process p = new ProcessBuilder(cmd).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(registry.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // a helper that answers without reading its input (e.g. "not found"): its exit code says
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("credential helper " + cmd.get(0) + " did not answer for " + registry
                        + " within 30 s; check it (echo " + registry + " | " + String.join(" ", cmd) + ")");
            }
            if (p.exitValue() != 0) {
                // "credentials not found" is an anonymous pull, as for the CLI; what it printed is not shown, it
                // could echo a credential
                return Optional.empty();
            }
            JsonNode creds = JSON.readTree(out);
            String user = creds.path("Username").asText("");
            String secret = creds.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("<token>".equals(user) ? encode(identity(secret, registry))
                    : header(user, secret, registry));
        } catch (IOException e) {
            throw new IllegalStateException("the Docker CLI's config names credential helper '" + helper + "' for "
                    + registry + ", but " + cmd.get(0) + " cannot be run (" + e.getClass().getSimpleName() + ");"
                    + " install it, or remove it from " + configDir.resolve("config.json"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + cmd.get(0) + " for " + registry);
        }
    }

    private static String header(String user, String password, String registry) {
        ObjectNode n = JSON.createObjectNode();
        n.put("username", user);
        n.put("password", password);
        n.put("serveraddress", registry);
        return encode(n);
    }

    private static ObjectNode identity(String token, String registry) {
        ObjectNode n = JSON.createObjectNode();
        n.put("identitytoken", token);
        n.put("serveraddress", registry);
        return n;
    }

    private static String encode(ObjectNode n) {
        return Base64.getUrlEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> text(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
    }
}
