package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No docker-java type may appear in a public signature outside {@code dev.ordo.docker.internal}. */
class PublicApiTest {
    private static final List<Class<?>> PUBLIC_TYPES = List.of(DockerBackend.class, StandIns.class);

    @Test
    void publicSignaturesMentionNoDockerJavaType() {
        List<String> leaks = new ArrayList<>();
        int inspected = 0;
        for (Class<?> c : PUBLIC_TYPES) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    inspected++;
                    check(leaks, c.getSimpleName() + "#" + m.getName() + " returns", m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(leaks, c.getSimpleName() + "#" + m.getName() + " takes", p);
                    }
                    for (Type e : m.getGenericExceptionTypes()) {
                        check(leaks, c.getSimpleName() + "#" + m.getName() + " throws", e);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(leaks, c.getSimpleName() + " constructor takes", p);
                    }
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    check(leaks, c.getSimpleName() + "." + f.getName(), f.getGenericType());
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                check(leaks, c.getSimpleName() + " implements", i);
            }
        }
        assertThat(inspected).isGreaterThan(10);
        assertThat(leaks).isEmpty();
    }

    @Test
    void onlyTheDocumentedTypesArePublicInTheApiPackage() throws Exception {
        for (String name : List.of("StandInRewrite")) {
            Class<?> c = Class.forName("dev.ordo.docker." + name);
            assertThat(Modifier.isPublic(c.getModifiers())).as(name).isFalse();
        }
        assertThat(PUBLIC_TYPES).allMatch(c -> Modifier.isFinal(c.getModifiers()));
    }

    private static void check(List<String> leaks, String where, Type t) {
        if (t instanceof Class<?> c) {
            Class<?> base = c;
            while (base.isArray()) {
                base = base.getComponentType();
            }
            if (base.getName().startsWith("com.github.dockerjava")
                    || base.getName().startsWith("dev.ordo.docker.internal")) {
                leaks.add(where + " " + base.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            check(leaks, where, p.getRawType());
            for (Type a : p.getActualTypeArguments()) {
                check(leaks, where, a);
            }
        }
    }
}
