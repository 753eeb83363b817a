/**
 * The reaper: a process beside the JVM that removes what a session created if the JVM dies without closing its
 * backend. Uses {@code engine} and {@code containers}.
 */
package dev.ordo.docker.internal.reaper;
