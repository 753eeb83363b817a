package dev.ordo.spi;

/**
 * A {@link Backend} that can prepare a node before its turn, so that only its start remains on the critical path.
 * Core stages a node when every node it depends on has been asked to start, only with {@link Launch.Mode#CREATE}
 * and attempt 1, and either starts the same launch later or unstages it (its dependency failed, the run ended).
 * Nothing may run early: a staged node's process must not start before {@link Backend#start}.
 *
 * <pre>{@code
 * final class MyBackend implements Backend, Staging { ... }
 * }</pre>
 */
public interface Staging {
    /**
     * Prepares {@code launch} now (e.g. creates its containers without starting them). Returns without waiting; a
     * staging that fails is forgotten, and {@link Backend#start} reports what is wrong.
     */
    void stage(Launch launch);

    /**
     * Core will not start the node {@code launch} staged: remove what {@link #stage} prepared for it. Returns
     * without waiting, but a later {@link Backend#observe}, {@link Backend#release} or {@link Backend#start} must see
     * it gone.
     */
    void unstage(Launch launch);
}
