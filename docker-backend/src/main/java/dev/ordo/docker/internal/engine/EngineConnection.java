package dev.ordo.docker.internal.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.ordo.OrdoException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Ordo talks to one engine. Three clients: one for commands, whose responses must come within
 * {@link #RESPONSE_TIMEOUT} (so that a hung engine cannot hang a run), one without a response timeout for long-lived
 * streams (events, followed logs, pulls, probe execs), and one for the engine watch's short pings; the raw
 * transports behind the first two, for requests docker-java cannot send as Ordo needs them. Connecting is lazy:
 * nothing is sent until the first call.
 *
 * <pre>{@code
 * EngineConnection engine = EngineConnection.open(URI.create("unix:///var/run/docker.sock"), Optional.empty(),
 *         Optional.empty());
 * String version = engine.call("ask for the version", () -> engine.commands().versionCmd().exec().getVersion());
 * }</pre>
 */
public final class EngineConnection implements AutoCloseable {
    /** The longest a command to the engine may take before it counts as unanswered. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(EngineConnection.class);

    private final DockerClient commands;
    private final DockerClient streams;
    private final DockerClient pinger;
    private final DockerHttpClient http;
    private final DockerHttpClient streamsHttp;
    private final URI host;
    private final String name;

    private EngineConnection(DockerClient commands, DockerClient streams, DockerClient pinger, DockerHttpClient http,
                             DockerHttpClient streamsHttp, URI host, String name) {
        this.commands = commands;
        this.streams = streams;
        this.pinger = pinger;
        this.http = http;
        this.streamsHttp = streamsHttp;
        this.host = host;
        this.name = name;
    }

    /** The engine {@code name} (when it has one) at {@code host}, with TLS from {@code certPath} (else the env). */
    public static EngineConnection open(URI host, Optional<String> name, Optional<Path> certPath) {
        DockerClientConfig config = EngineClients.config(host, certPath);
        DockerHttpClient commands = EngineClients.http(config, RESPONSE_TIMEOUT, 256);
        DockerHttpClient streaming = EngineClients.http(config, null, 256);
        DockerHttpClient pings = EngineClients.http(config, Duration.ofSeconds(EngineWatch.PING_TIMEOUT_SECONDS), 4);
        return new EngineConnection(DockerClientImpl.getInstance(config, commands),
                DockerClientImpl.getInstance(config, streaming), DockerClientImpl.getInstance(config, pings),
                commands, streaming, host,
                name.map(n -> "the Docker engine '" + n + "' at " + host).orElse("the Docker engine at " + host));
    }

    /** The client for commands, each answered within {@link #RESPONSE_TIMEOUT}. */
    public DockerClient commands() {
        return commands;
    }

    /** The client for streams that may stay silent for long: events, followed logs, pulls, builds, execs. */
    public DockerClient streams() {
        return streams;
    }

    /** The raw transport of {@link #commands()}. */
    public DockerHttpClient http() {
        return http;
    }

    /** The raw transport of {@link #streams()} (an authenticated pull is sent by hand). */
    public DockerHttpClient streamsHttp() {
        return streamsHttp;
    }

    /** How errors name this engine: {@code the Docker engine at unix:///...}, or with its name when it has one. */
    public String name() {
        return name;
    }

    /**
     * Whether this process can reach the containers' addresses. On a local socket the bridge network's addresses are
     * routable from here; elsewhere (a remote engine, Docker Desktop's VM) they usually are not, so http and tcp checks
     * run inside the container instead.
     */
    public boolean hostReachesContainers() {
        return "unix".equals(host.getScheme());
    }

    /** The engine's host as this process reaches it: loopback for a local socket, else the address's host. */
    public String hostAddress() {
        return hostReachesContainers() || host.getHost() == null ? "127.0.0.1" : host.getHost();
    }

    /** Whether the engine answers a ping within {@link EngineWatch#PING_TIMEOUT_SECONDS}. */
    public boolean ping() {
        try {
            pinger.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code action}, turning an engine error into one that says what could not be done ({@code what}) and, when
     * the engine does not answer, how to start one.
     */
    public <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (OrdoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OrdoException(EngineErrors.unreachable(e) ? "cannot " + what + ": " + name
                    + " does not answer (" + EngineErrors.describe(e) + "); start it (as root: scripts/ensure-docker.sh)"
                    + " or point DOCKER_HOST at a running engine" : "cannot " + what + ": " + EngineErrors.describe(e),
                    e);
        }
    }

    @Override
    public void close() {
        for (DockerClient c : List.of(commands, streams, pinger)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing a Docker client", e);
            }
        }
    }
}
