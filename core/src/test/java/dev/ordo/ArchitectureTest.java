package dev.ordo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CORE = ArchitectureRules.mainClassesOf("dev.ordo");

    @Test
    void corePackagesHaveNoCycles() {
        ArchitectureRules.noPackageCycles(CORE);
    }

    @Test
    void engineFieldsAreWrittenOnlyByTheirOwnFile() {
        ArchitectureRules.noFieldWrittenFromAnotherFile(CORE, "dev.ordo.dataflow");
    }

    @Test
    void theEngineIsReachedOnlyThroughTheSeam() {
        noClasses().that().resideOutsideOfPackage("dev.ordo.dataflow")
                .should().dependOnClassesThat().resideInAPackage("dev.ordo.dataflow").check(CORE);
    }

    @Test
    void theCycleRuleCatchesACycle() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(CycleA.class, dev.ordo.archfixture.CycleB.class,
                dev.ordo.archfixture.CycleB.Inner.class, ArchitectureRules.class);
        assertThatThrownBy(() -> ArchitectureRules.noPackageCycles(cyclic))
                .hasMessageContaining("Cycle detected").hasMessageContaining("dev.ordo.archfixture");
    }

    /** Half of a deliberate cycle with {@link dev.ordo.archfixture.CycleB}, for the test above. */
    static final class CycleA {
        dev.ordo.archfixture.CycleB other;
    }
}
