/**
 * What a deployment's nodes share on an engine: its networks, its named volumes, and how its nodes reach those on
 * other engines. Uses {@code engine}.
 */
package dev.ordo.docker.internal.network;
