package dev.ordo.docker.internal.engine;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How Ordo talks to one engine: the docker-java client configuration (address, TLS) and HTTP clients with the
 * timeouts each use needs. Shared by the connection and the reaper, so that both reach an engine the same way.
 *
 * <pre>{@code
 * DockerHttpClient http = EngineClients.http(EngineClients.config(host, Optional.empty()), Duration.ofSeconds(60), 16);
 * }</pre>
 */
public final class EngineClients {
    private EngineClients() {
    }

    /** The client configuration for the engine at {@code host}, with TLS from {@code certPath} (else the env). */
    public static DockerClientConfig config(URI host, Optional<Path> certPath) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString());
        certPath.ifPresent(p -> builder.withDockerTlsVerify(true).withDockerCertPath(p.toString()));
        return builder.build();
    }

    /** An HTTP client for the engine; {@code responseTimeout} null for streams that may stay silent for long. */
    public static DockerHttpClient http(DockerClientConfig config, Duration responseTimeout, int connections) {
        ApacheDockerHttpClient.Builder b = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(connections)
                .connectionTimeout(Duration.ofSeconds(10));
        if (responseTimeout != null) {
            b.responseTimeout(responseTimeout);
        }
        return b.build();
    }
}
