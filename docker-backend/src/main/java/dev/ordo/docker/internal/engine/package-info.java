/**
 * Talking to dockerd: the connection and its clients ({@link dev.ordo.docker.internal.engine.EngineConnection}),
 * finding the engine a developer has, the event stream shared by every container, the watch that notices a lost
 * engine, how engine errors read, and the labels Ordo stamps on what it creates. Uses no other package of the backend.
 */
package dev.ordo.docker.internal.engine;
