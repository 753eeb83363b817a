package dev.ordo.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ordo.ArchitectureRules;
import dev.ordo.examples.Example;
import org.junit.jupiter.api.Test;

/**
 * The house rules of {@link ArchitectureRules} on the runner's main classes, and its one door to the examples: only
 * {@link Source}, {@link CliOptions} (the {@code --example} names) and {@link DemoCommand} name the {@link Example}
 * catalog, and nothing names an example system's own classes ({@code Clp}, {@code AlphaKraken}...).
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf("dev.ordo.cli");

    @Test
    void packagesHaveNoCycles() {
        ArchitectureRules.noPackageCycles(MAIN);
    }

    @Test
    void usesNoOtherArtifactsInternals() {
        ArchitectureRules.noForeignInternals(MAIN, "dev.ordo.cli");
    }

    @Test
    void reachesTheExamplesOnlyThroughTheirCatalog() {
        noClasses().that().resideInAPackage("dev.ordo.cli..")
                .should().dependOnClassesThat(DescribedPredicate.describe("are an example system, not the catalog",
                        (JavaClass c) -> c.getPackageName().startsWith("dev.ordo.examples")
                                && !c.getName().startsWith(Example.class.getName())))
                .because("the runner asks the Example catalog, never an example system itself")
                .check(MAIN);
        noClasses().that(DescribedPredicate.describe("are not Source, CliOptions or DemoCommand", (JavaClass c) ->
                        !c.getName().startsWith(Source.class.getName())
                                && !c.getName().startsWith(CliOptions.class.getName())
                                && !c.getName().startsWith(DemoCommand.class.getName())))
                .and().resideInAPackage("dev.ordo.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.ordo.examples..")
                .because("Source is where an example's specifics are asked for; the rest of the runner sees a Source")
                .check(MAIN);
    }
}
