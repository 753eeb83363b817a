package dev.ordo.docker.internal.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * A registry (Docker Registry HTTP API v2, the read-only part a pull uses) on the loopback interface, serving one
 * image: the stand-in's busybox root file system as a single gzipped layer. The engine treats {@code localhost}
 * registries as insecure, so it pulls over plain HTTP: the one way to test a real pull on a machine that reaches no
 * container registry.
 *
 * <pre>{@code
 * try (FakeRegistry registry = FakeRegistry.start("ordo-test/pulled", "1")) {
 *     String image = registry.image();   // localhost:PORT/ordo-test/pulled:1
 * }
 * }</pre>
 */
public final class FakeRegistry implements AutoCloseable {
    private static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

    private final HttpServer server;
    private final String repository;
    private final String tag;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final byte[] manifest;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Authorization header every request must carry, when the registry is private. */
    private volatile String requiredAuthorization;

    private FakeRegistry(String repository, String tag) throws IOException {
        this.repository = repository;
        this.tag = tag;
        byte[] tar = StandInImage.rootfs(StandInImage.busybox());
        byte[] layer = gzip(tar);
        String layerDigest = digest(layer);
        blobs.put(layerDigest, layer);
        String arch = switch (System.getProperty("os.arch")) {
            case "aarch64", "arm64" -> "arm64";
            default -> "amd64";
        };
        byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + digest(tar) + "\"]},"
                + "\"history\":[{\"created_by\":\"ordo FakeRegistry\"}]}").getBytes(StandardCharsets.UTF_8);
        String configDigest = digest(config);
        blobs.put(configDigest, config);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
                + config.length + ",\"digest\":\"" + configDigest + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":"
                + layer.length + ",\"digest\":\"" + layerDigest + "\"}]}").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code repository:tag} until closed. */
    public static FakeRegistry start(String repository, String tag) throws IOException {
        return new FakeRegistry(repository, tag);
    }

    /** Serves {@code repository:tag} to clients that log in as {@code user} with {@code password} (HTTP Basic). */
    public static FakeRegistry startPrivate(String repository, String tag, String user, String password)
            throws IOException {
        FakeRegistry r = new FakeRegistry(repository, tag);
        r.requiredAuthorization = "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The {@code host:port} of this registry, as image references and the CLI's config name it. */
    public String address() {
        return "localhost:" + server.getAddress().getPort();
    }

    /** The reference that pulls the served image. */
    public String image() {
        return "localhost:" + server.getAddress().getPort() + "/" + repository + ":" + tag;
    }

    /** A reference to a tag this registry does not have. */
    public String missingImage() {
        return "localhost:" + server.getAddress().getPort() + "/" + repository + ":missing";
    }

    /** "METHOD path" of every request served so far. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        requests.add(x.getRequestMethod() + " " + path);
        x.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
        String required = requiredAuthorization;
        if (required != null && !required.equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ordo-test\"");
            send(x, 401, "application/json", ("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
                    + "\"authentication required\"}]}").getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        String prefix = "/v2/" + repository + "/";
        if (path.equals("/v2/") || path.equals("/v2")) {
            send(x, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
        } else if (path.equals(prefix + "manifests/" + tag) || path.equals(prefix + "manifests/" + digest(manifest))) {
            send(x, 200, MANIFEST_TYPE, manifest, digest(manifest));
        } else if (path.startsWith(prefix + "blobs/") && blobs.containsKey(path.substring((prefix + "blobs/").length()))) {
            String d = path.substring((prefix + "blobs/").length());
            send(x, 200, "application/octet-stream", blobs.get(d), d);
        } else {
            String code = path.contains("/manifests/") ? "MANIFEST_UNKNOWN" : path.contains("/blobs/")
                    ? "BLOB_UNKNOWN" : "NAME_UNKNOWN";
            send(x, 404, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\""
                    + code.toLowerCase(Locale.ROOT).replace('_', ' ') + "\"}]}").getBytes(StandardCharsets.UTF_8),
                    null);
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body, String digest) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        if (digest != null) {
            x.getResponseHeaders().add("Docker-Content-Digest", digest);
        }
        boolean head = "HEAD".equals(x.getRequestMethod());
        if (head) {
            x.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
        }
        x.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static String digest(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
