/**
 * Putting a node's image on the engine ({@link dev.ordo.docker.internal.images.ImageSupply}): pulls, with the Docker
 * CLI's registry credentials, builds, the busybox stand-in image, an image's own health check, tar archives for
 * uploads. Uses {@code engine}.
 */
package dev.ordo.docker.internal.images;
