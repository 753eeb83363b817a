/**
 * Node runs: one launch of a node, its replicas and what happens to them, reported to core as facts in order.
 * Uses {@code engine}, {@code logs}, {@code containers} and {@code probe}.
 */
package dev.ordo.docker.internal.run;
