package dev.ordo.docker;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Docker engine of a deployment that spans several: a name that placements and reports use, its
 * {@code DOCKER_HOST}-style address, the address containers on the other engines reach its published ports at, and
 * its TLS settings.
 *
 * <p>When no address is given, Ordo derives one where it can: for engines on this machine (unix sockets), containers
 * on one engine reach another's published ports through their own network's gateway. A remote engine needs its
 * address.
 *
 * <pre>{@code
 * DockerEngine dbs = DockerEngine.at("dbs-pc", URI.create("tcp://10.0.0.5:2376"))
 *         .reachableAt("10.0.0.5").tls(Path.of("/etc/ordo/certs/dbs-pc"));
 * DockerEngine local = DockerEngine.at("local", URI.create("unix:///var/run/docker.sock"));
 * }</pre>
 *
 * @param name     a DNS-1123 label, unique among a backend's engines
 * @param host     {@code unix:///path/docker.sock} or {@code tcp://host:port}
 * @param address  the IP address or host name other engines' containers reach this engine's published ports at
 * @param certPath the directory with {@code ca.pem}, {@code cert.pem} and {@code key.pem} for TLS; without one,
 *                 {@code DOCKER_TLS_VERIFY} / {@code DOCKER_CERT_PATH} apply
 */
public record DockerEngine(String name, URI host, Optional<String> address, Optional<Path> certPath) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.:]{0,251}[A-Za-z0-9])?");

    public DockerEngine {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(host, "host == null");
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(certPath, "certPath == null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Docker engine name '" + name + "' must be a DNS-1123 label: lower-case"
                    + " letters, digits and '-', e.g. 'dbs-pc'");
        }
        String scheme = host.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme) && !"npipe".equals(scheme)) {
            throw new IllegalArgumentException("Docker engine '" + name + "': host '" + host + "' must be a unix://,"
                    + " tcp:// or npipe:// URI, e.g. unix:///var/run/docker.sock or tcp://10.0.0.5:2376");
        }
        address.ifPresent(a -> {
            if (!ADDRESS.matcher(a).matches()) {
                throw new IllegalArgumentException("Docker engine '" + name + "': address '" + a + "' must be an IP"
                        + " address or a host name, e.g. 10.0.0.5");
            }
        });
    }

    /** Engine {@code name} at {@code host}, its address derived when it is on this machine. */
    public static DockerEngine at(String name, URI host) {
        return new DockerEngine(name, host, Optional.empty(), Optional.empty());
    }

    /** Engine {@code name} at {@code host}, a {@code DOCKER_HOST}-style string. */
    public static DockerEngine at(String name, String host) {
        Objects.requireNonNull(host, "host == null");
        try {
            return at(name, new URI(host.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Docker engine '" + name + "': '" + host + "' is not a URI; give"
                    + " unix:///path/docker.sock or tcp://host:port", e);
        }
    }

    /** This engine, whose published ports containers on other engines reach at {@code address}. */
    public DockerEngine reachableAt(String address) {
        return new DockerEngine(name, host, Optional.of(Objects.requireNonNull(address, "address == null")), certPath);
    }

    /** This engine, reached over TLS with the certificates in {@code certPath}. */
    public DockerEngine tls(Path certPath) {
        return new DockerEngine(name, host, address, Optional.of(Objects.requireNonNull(certPath, "certPath == null")));
    }

    /** Whether the engine runs on this machine (a unix socket), so that its address can be derived. */
    public boolean isLocal() {
        return "unix".equals(host.getScheme());
    }
}
