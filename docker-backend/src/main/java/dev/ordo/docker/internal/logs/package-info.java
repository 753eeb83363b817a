/**
 * A container's output: followed line by line while a replica runs, read back as the tail of a run that ended.
 * Uses {@code engine}.
 */
package dev.ordo.docker.internal.logs;
