package dev.ordo.docker;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ordo.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The house rules of {@link ArchitectureRules} on this artifact's main classes, and the order of the Docker
 * backend's own rooms: the public face uses the wiring package {@code internal}, which uses the sub-packages, each
 * of which uses only those below it.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf("dev.ordo.docker");
    private static final String INTERNAL = "dev.ordo.docker.internal";

    @Test
    void packagesHaveNoCycles() {
        ArchitectureRules.noPackageCycles(MAIN);
    }

    @Test
    void usesNoOtherArtifactsInternals() {
        ArchitectureRules.noForeignInternals(MAIN, "dev.ordo.docker");
    }

    @Test
    void internalSubPackagesHaveNoCycles() {
        slices().matching(INTERNAL + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachPackageUsesOnlyThoseBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("face").definedBy("dev.ordo.docker")
                .layer("wiring").definedBy(INTERNAL)
                .layer("reaper").definedBy(INTERNAL + ".reaper..")
                .layer("run").definedBy(INTERNAL + ".run..")
                .layer("probe").definedBy(INTERNAL + ".probe..")
                .layer("containers").definedBy(INTERNAL + ".containers..")
                .layer("logs").definedBy(INTERNAL + ".logs..")
                .layer("network").definedBy(INTERNAL + ".network..")
                .layer("images").definedBy(INTERNAL + ".images..")
                .layer("engine").definedBy(INTERNAL + ".engine..")
                .whereLayer("face").mayNotBeAccessedByAnyLayer()
                .whereLayer("wiring").mayOnlyBeAccessedByLayers("face")
                // the face starts a session's reaper itself, before any engine is asked anything
                .whereLayer("reaper").mayOnlyBeAccessedByLayers("face")
                .whereLayer("run").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("probe").mayOnlyBeAccessedByLayers("wiring", "run")
                .whereLayer("containers").mayOnlyBeAccessedByLayers("wiring", "run", "probe", "reaper")
                .whereLayer("logs").mayOnlyBeAccessedByLayers("wiring", "run")
                // the face names the stand-in image and a deployment's cross-engine addressing
                .whereLayer("network").mayOnlyBeAccessedByLayers("face", "wiring", "containers")
                .whereLayer("images").mayOnlyBeAccessedByLayers("face", "wiring", "containers")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("face", "wiring", "reaper", "run", "probe",
                        "containers", "logs", "network", "images")
                .check(MAIN);
    }
}
