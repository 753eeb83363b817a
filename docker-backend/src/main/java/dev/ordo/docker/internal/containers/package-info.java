/**
 * A node's containers: their spec as Docker configuration, making them (names, secrets, process and mount
 * settings, networks), staging them ahead of their start, the start gate, stopping them and removing them in the
 * background. Uses {@code engine}, {@code images} and {@code network}.
 */
package dev.ordo.docker.internal.containers;
