/**
 * Health: probing a replica's readiness and liveness checks (one prober for commands, http and tcp, from this
 * process or inside the container), reading Docker's own check, and observing what of a deployment exists. Uses
 * {@code engine} and {@code containers}.
 */
package dev.ordo.docker.internal.probe;
