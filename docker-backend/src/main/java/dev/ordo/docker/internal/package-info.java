/**
 * The Docker backend's implementation on docker-java; the only package where docker-java types appear. Not API.
 *
 * <pre>{@code
 * DockerRuntime runtime = DockerRuntime.connect(URI.create("unix:///var/run/docker.sock"));
 * }</pre>
 */
package dev.ordo.docker.internal;
