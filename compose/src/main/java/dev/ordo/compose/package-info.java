/**
 * Compose files in and out: {@link dev.ordo.compose.ComposeFile} reads a {@code docker-compose.yml} into a
 * deployment, {@link dev.ordo.compose.ComposeExport} writes one.
 *
 * <pre>{@code
 * Deployment d = ComposeFile.at(Path.of("docker-compose.yml")).load().deployment();
 * String yaml = ComposeExport.of(d);
 * }</pre>
 */
package dev.ordo.compose;
