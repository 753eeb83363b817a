/**
 * Runs Ordo deployments on a Docker engine. {@link dev.ordo.docker.DockerBackend} implements the core's backend
 * SPI; {@link dev.ordo.docker.StandIns} configures rehearsals that replace every image by a local stand-in.
 *
 * <pre>{@code
 * try (DockerBackend docker = DockerBackend.local()) {
 *     Orchestrator.using(docker).up(deployment.plan()).throwIfFailed();
 * }
 * }</pre>
 */
package dev.ordo.docker;
