package dev.ordo.archfixture;

/** The other half of a deliberate package cycle, which the architecture rules must report. */
public final class CycleB {
    /** Points back into {@code dev.ordo}. */
    public static final class Inner {
        dev.ordo.ArchitectureRules other;
    }
}
