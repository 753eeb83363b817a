package dev.ordo.run;

import java.util.Optional;

/** {@link StateStore#none()}: nothing is kept. */
final class NoStateStore implements StateStore {
    static final NoStateStore INSTANCE = new NoStateStore();

    private NoStateStore() {
    }

    @Override
    public Optional<LivingState> load(String deployment) {
        return Optional.empty();
    }

    @Override
    public void save(LivingState state) {
        // nothing is kept
    }
}
