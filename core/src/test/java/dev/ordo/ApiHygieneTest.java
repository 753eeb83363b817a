package dev.ordo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public API exposes no third-party graph or platform types, and its types are immutable by construction. */
class ApiHygieneTest {
    private static final List<String> FORBIDDEN = List.of("org.jgrapht", "com.github.dockerjava", "io.fabric8",
            "com.fasterxml.jackson", "org.yaml.snakeyaml", "org.slf4j", "picocli", "okhttp3");

    private static JavaClasses classes;
    private static List<Class<?>> publicApi;

    @BeforeAll
    static void importCore() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ordo");
        publicApi = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().contains(".internal") && c.getModifiers()
                    .contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC) && isReachable(c.reflect())) {
                publicApi.add(c.reflect());
            }
        }
    }

    /** Public and, for nested types, enclosed only by public types. */
    private static boolean isReachable(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }

    @Test
    void theImportSeesTheWholeApi() {
        assertThat(publicApi).extracting(Class::getName).contains("dev.ordo.Deployment", "dev.ordo.Plan",
                "dev.ordo.run.Orchestrator", "dev.ordo.spi.Backend",
                "dev.ordo.ValidationException$Problem", "dev.ordo.Deployment$Builder");
        assertThat(publicApi).extracting(Class::getName).noneMatch(n -> n.contains(".internal."));
    }

    @Test
    void noPublicSignatureMentionsThirdPartyGraphOrPlatformTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : publicApi) {
            check(leaks, c + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c + " implements", t);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (exposed(m.getModifiers()) && !m.isSynthetic()) {
                    String where = c.getName() + "." + m.getName();
                    check(leaks, where + " returns", m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(leaks, where + " takes", p);
                    }
                    for (Type x : m.getGenericExceptionTypes()) {
                        check(leaks, where + " throws", x);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (exposed(k.getModifiers())) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(leaks, c.getName() + "(...) takes", p);
                    }
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (exposed(f.getModifiers())) {
                    check(leaks, c.getName() + "." + f.getName(), f.getGenericType());
                }
            }
        }
        assertThat(leaks).as("public signatures mentioning %s", FORBIDDEN).isEmpty();
    }

    @Test
    void theCheckWouldCatchALeak() {
        // guard against a vacuous scan: the same check flags a JGraphT type in a signature
        List<String> leaks = new ArrayList<>();
        check(leaks, "example", new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {org.jgrapht.graph.DefaultEdge.class};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        });
        assertThat(leaks).hasSize(1);
    }

    @Test
    void codeOutsideInternalPackagesDoesNotUseThirdPartyGraphOrPlatformTypesAtAll() {
        noClasses().that().resideOutsideOfPackage("..internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jgrapht..", "com.github.dockerjava..",
                        "io.fabric8..")
                .because("JGraphT, docker-java and fabric8 belong behind dev.ordo..internal")
                .check(classes);
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, String where, Type type) {
        check(leaks, where, type, new HashSet<>());
    }

    private static void check(List<String> leaks, String where, Type type, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            Class<?> e = c;
            while (e.isArray()) {
                e = e.getComponentType();
            }
            String name = e.getName();
            if (FORBIDDEN.stream().anyMatch(name::startsWith)) {
                leaks.add(where + " " + name);
            }
        } else if (type instanceof ParameterizedType p) {
            check(leaks, where, p.getRawType(), seen);
            check(leaks, where, p.getOwnerType(), seen);
            for (Type a : p.getActualTypeArguments()) {
                check(leaks, where, a, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(leaks, where, b, seen);
            }
            for (Type b : w.getLowerBounds()) {
                check(leaks, where, b, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(leaks, where, b, seen);
            }
        } else if (type instanceof GenericArrayType g) {
            check(leaks, where, g.getGenericComponentType(), seen);
        }
    }

    /**
     * Exceptions form a hierarchy users catch by supertype ({@code OrdoException}, {@code RunFailedException}), so
     * they may be open for extension; they must still hold only final fields.
     */
    @Test
    void everyPublicTypeIsFinalARecordAnEnumAnInterfaceOrAbstractOrSealed() {
        List<String> open = new ArrayList<>();
        for (Class<?> c : publicApi) {
            int m = c.getModifiers();
            boolean closed = c.isInterface() || c.isEnum() || c.isRecord() || c.isAnnotation()
                    || Modifier.isFinal(m) || Modifier.isAbstract(m) || c.isSealed();
            boolean exception = Throwable.class.isAssignableFrom(c);
            if (!closed && !exception) {
                open.add(c.getName());
            }
        }
        assertThat(open).as("public classes open for extension").isEmpty();
    }

    @Test
    void publicTypesExposeNoMutableFields() {
        List<String> mutable = new ArrayList<>();
        for (Class<?> c : publicApi) {
            for (Field f : c.getDeclaredFields()) {
                if (exposed(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                    mutable.add(c.getName() + "." + f.getName());
                }
            }
            if (Throwable.class.isAssignableFrom(c)) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                        mutable.add(c.getName() + "." + f.getName() + " (exception state)");
                    }
                }
            }
        }
        assertThat(mutable).isEmpty();
    }

    /**
     * Only builders, the simulated backend (scripted, then run) and the test kit's assertion object may carry
     * mutable state; every other public final class keeps all its instance fields final.
     */
    @Test
    void finalValueClassesHaveOnlyFinalInstanceFields() {
        Set<String> mutableByDesign = Set.of("dev.ordo.Deployment$Builder", "dev.ordo.ServiceBuilder",
                "dev.ordo.JobBuilder", "dev.ordo.TriggerBuilder");
        List<String> mutable = new ArrayList<>();
        for (Class<?> c : publicApi) {
            if (c.isInterface() || c.isEnum() || c.isRecord() || mutableByDesign.contains(c.getName())) {
                continue;
            }
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                    mutable.add(c.getName() + "." + f.getName());
                }
            }
        }
        assertThat(mutable).isEmpty();
    }

    @Test
    void recordsCopyTheirCollections() throws Exception {
        // every public record with a collection component, built from plain values with fresh mutable collections,
        // must not see a later change of those collections (it copies them), whatever its validation accepts
        List<String> aliased = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        List<String> notBuilt = new ArrayList<>();
        for (Class<?> c : publicApi) {
            if (!c.isRecord() || java.util.Arrays.stream(c.getRecordComponents()).noneMatch(rc ->
                    isCollection(rc.getType()))) {
                continue;
            }
            RecordComponent[] rcs = c.getRecordComponents();
            Object[] args = new Object[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                args[i] = sample(rcs[i].getType(), 0);
            }
            Object record;
            try {
                Constructor<?> canonical = c.getDeclaredConstructor(java.util.Arrays.stream(rcs)
                        .map(RecordComponent::getType).toArray(Class<?>[]::new));
                record = canonical.newInstance(args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                notBuilt.add(c.getSimpleName() + " (" + e.getCause() + ")");
                continue;
            }
            for (int i = 0; i < rcs.length; i++) {
                if (!isCollection(rcs[i].getType())) {
                    continue;
                }
                String what = c.getSimpleName() + "." + rcs[i].getName();
                int before = size(rcs[i].getAccessor().invoke(record));
                mutate(args[i]);
                if (size(rcs[i].getAccessor().invoke(record)) != before) {
                    aliased.add(what);
                }
                checked.add(what);
            }
        }

        assertThat(aliased).as("record components that alias the caller's collection").isEmpty();
        assertThat(checked).as("checked by behaviour; not built from plain values: " + notBuilt)
                .hasSizeGreaterThanOrEqualTo(20);
        assertThat(notBuilt.size()).as("records the check could not build: " + notBuilt)
                .isLessThan(checked.size() / 4);
    }

    private static boolean isCollection(Class<?> t) {
        return java.util.Collection.class.isAssignableFrom(t) || java.util.Map.class.isAssignableFrom(t);
    }

    /** A plain value of type {@code t}: fresh mutable collections, the first enum constant, records built alike. */
    private static Object sample(Class<?> t, int depth) throws Exception {
        if (t == String.class) {
            return "x1";
        } else if (t == int.class || t == Integer.class) {
            return 1;
        } else if (t == long.class || t == Long.class) {
            return 1L;
        } else if (t == boolean.class || t == Boolean.class) {
            return false;
        } else if (t == double.class || t == Double.class) {
            return 1.0;
        } else if (t == java.time.Duration.class) {
            return java.time.Duration.ofSeconds(1);
        } else if (t == java.time.Instant.class) {
            return java.time.Instant.EPOCH;
        } else if (t == java.util.Optional.class) {
            return java.util.Optional.empty();
        } else if (t == java.util.OptionalInt.class) {
            return java.util.OptionalInt.empty();
        } else if (t == java.util.OptionalLong.class) {
            return java.util.OptionalLong.empty();
        } else if (Set.class.isAssignableFrom(t)) {
            return new java.util.LinkedHashSet<>();
        } else if (java.util.Map.class.isAssignableFrom(t)) {
            return new java.util.LinkedHashMap<>();
        } else if (java.util.Collection.class.isAssignableFrom(t)) {
            return new ArrayList<>();
        } else if (t.isEnum()) {
            return t.getEnumConstants()[0];
        } else if (t.isRecord() && depth < 3) {
            RecordComponent[] rcs = t.getRecordComponents();
            Object[] args = new Object[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                args[i] = sample(rcs[i].getType(), depth + 1);
            }
            try {
                return t.getDeclaredConstructor(java.util.Arrays.stream(rcs).map(RecordComponent::getType)
                        .toArray(Class<?>[]::new)).newInstance(args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                return null;
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void mutate(Object collection) {
        if (collection instanceof java.util.Map m) {
            m.put("added", "later");
        } else {
            ((java.util.Collection) collection).add("added later");
        }
    }

    private static int size(Object collection) {
        return collection instanceof java.util.Map<?, ?> m ? m.size() : ((java.util.Collection<?>) collection).size();
    }
}
