package dev.ordo.compose;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ordo.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The house rules of {@link ArchitectureRules} on this artifact's main classes. */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf("dev.ordo.compose");

    @Test
    void packagesHaveNoCycles() {
        ArchitectureRules.noPackageCycles(MAIN);
    }

    @Test
    void usesNoOtherArtifactsInternals() {
        ArchitectureRules.noForeignInternals(MAIN, "dev.ordo.compose");
    }
}
