package dev.ordo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The house rules every artifact's ArchitectureTest checks on its own main classes: no package cycles (every package
 * its own slice, the root package {@code dev.ordo} included), and no use of another artifact's {@code internal}
 * packages — what a backend author needs from core is public in {@code dev.ordo.spi} and
 * {@code dev.ordo.spi.support}.
 *
 * <pre>{@code
 * JavaClasses classes = ArchitectureRules.mainClassesOf("dev.ordo.docker");
 * ArchitectureRules.noPackageCycles(classes);
 * ArchitectureRules.noForeignInternals(classes, "dev.ordo.docker");
 * }</pre>
 */
public final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /** The production classes under {@code roots} (tests and jars excluded), as this artifact compiled them. */
    public static JavaClasses mainClassesOf(String... roots) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(roots);
    }

    /** Fails naming the cycle when two packages of Ordo depend on each other, directly or through others. */
    public static void noPackageCycles(JavaClasses classes) {
        slices().assignedFrom(EVERY_PACKAGE).should().beFreeOfCycles().check(classes);
    }

    /**
     * Fails naming the class when code of this artifact (packages under {@code ownRoot}) uses an {@code internal}
     * package of another artifact.
     */
    public static void noForeignInternals(JavaClasses classes, String ownRoot) {
        noClasses().that().resideInAPackage(ownRoot + "..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are in an internal package of another artifact",
                        (JavaClass c) -> c.getPackageName().startsWith("dev.ordo")
                                && c.getPackageName().contains(".internal")
                                && !c.getPackageName().startsWith(ownRoot + ".")))
                .check(classes);
    }

    /**
     * Fails naming each write when a class of {@code pkg} sets a field that another file declares: a file's state
     * changes only through its own methods, so that a reader finds every rule about it in one place.
     */
    public static void noFieldWrittenFromAnotherFile(JavaClasses classes, String pkg) {
        List<String> writes = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().equals(pkg)) {
                continue;
            }
            for (JavaFieldAccess a : c.getFieldAccessesFromSelf()) {
                if (a.getAccessType() != JavaFieldAccess.AccessType.SET) {
                    continue;
                }
                JavaClass owner = a.getTarget().resolveMember().map(f -> f.getOwner()).orElse(a.getTargetOwner());
                if (owner.getPackageName().equals(pkg) && !fileOf(owner).equals(fileOf(c))) {
                    writes.add(a.getDescription());
                }
            }
        }
        if (!writes.isEmpty()) {
            throw new AssertionError(writes.size() + " field(s) of " + pkg + " written from another file; give the"
                    + " owner a method that says why:\n" + String.join("\n", writes));
        }
    }

    private static String fileOf(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top.getName();
    }

    private static final SliceAssignment EVERY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.ordo") ? SliceIdentifier.of(c.getPackageName())
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "every package of Ordo";
        }
    };
}
