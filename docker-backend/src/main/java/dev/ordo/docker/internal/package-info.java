/**
 * The Docker backend's implementation on docker-java, the only packages where docker-java types appear. Not API.
 * This package wires one engine's parts ({@link dev.ordo.docker.internal.DockerRuntime}) and answers tests'
 * questions about running nodes; its sub-packages, from the ground up:
 * <ul>
 *   <li>{@code engine}: talking to dockerd — the connection and its clients, engine discovery, the event hub, the
 *       watch that notices a lost engine, how engine errors read, Ordo's labels on what it creates;</li>
 *   <li>{@code images}: putting a node's image on the engine — pull (with registry credentials), build, the stand-in
 *       image, an image's own health check, tar archives;</li>
 *   <li>{@code network}: what a deployment's nodes share — networks, volumes, addressing across engines;</li>
 *   <li>{@code logs}: a container's output, followed or read back as a tail;</li>
 *   <li>{@code containers}: a node's containers — their spec, process, mount and secret settings, making, staging,
 *       the start gate, stopping and background removals;</li>
 *   <li>{@code probe}: health probing of replicas (one prober for http, tcp and commands) and observation of what
 *       exists;</li>
 *   <li>{@code run}: the node runs that turn what happens to a launch's containers into facts for core;</li>
 *   <li>{@code reaper}: the process that removes what a dead session left.</li>
 * </ul>
 * A package uses only packages listed before it; {@code ArchitectureTest} holds the order.
 *
 * <pre>{@code
 * DockerRuntime runtime = DockerRuntime.connect(URI.create("unix:///var/run/docker.sock"));
 * }</pre>
 */
package dev.ordo.docker.internal;
