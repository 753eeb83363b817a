package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fabric8 is an implementation detail: no public signature outside {@code .internal} may mention it. */
class PublicApiTest {
    private static final List<Class<?>> PUBLIC_TYPES = List.of(KubernetesBackend.class, KubernetesManifests.class);

    @Test
    void noFabric8TypeInPublicSignatures() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : PUBLIC_TYPES) {
            check(c.getName(), c.getGenericSuperclass(), leaks);
            for (Type t : c.getGenericInterfaces()) {
                check(c.getName(), t, leaks);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    check(c.getName() + "#" + m.getName(), m.getGenericReturnType(), leaks);
                    signature(c, m, leaks);
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    signature(c, k, leaks);
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    check(c.getName() + "." + f.getName(), f.getGenericType(), leaks);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void publicPackageHoldsOnlyTheTwoEntryPoints() throws Exception {
        // Guards the scan above: every public type of the package must be one it checks.
        java.nio.file.Path dir = java.nio.file.Path.of(KubernetesBackend.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).resolve("dev/ordo/kubernetes");
        List<String> publicTypes = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(dir)) {
            for (String file : files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$")).toList()) {
                Class<?> c = Class.forName("dev.ordo.kubernetes." + file.substring(0, file.length() - 6));
                if (Modifier.isPublic(c.getModifiers())) {
                    publicTypes.add(c.getSimpleName());
                    assertThat(Modifier.isFinal(c.getModifiers())).as(c.getSimpleName() + " is final").isTrue();
                }
            }
        }
        assertThat(publicTypes).containsExactlyInAnyOrder("KubernetesBackend", "KubernetesManifests");
        assertThat(KubernetesBackend.class.getConstructors()).as("constructed through factories").isEmpty();
    }

    private static void signature(Class<?> c, Executable e, List<String> leaks) {
        for (Type t : e.getGenericParameterTypes()) {
            check(c.getName() + "#" + e.getName(), t, leaks);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(c.getName() + "#" + e.getName(), t, leaks);
        }
    }

    private static void check(String where, Type t, List<String> leaks) {
        if (t != null && t.getTypeName().contains("io.fabric8")) {
            leaks.add(where + " uses " + t.getTypeName());
        }
    }
}
