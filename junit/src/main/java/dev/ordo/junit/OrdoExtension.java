package dev.ordo.junit;

import dev.ordo.Deployment;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.RunReport;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link Deployed}: brings each {@code @Deployed} {@link TestDeployment} up (static
 * fields before all tests of the class, instance fields before each test) and down again after, whatever the tests
 * did; a JVM that dies meanwhile leaves nothing behind on Docker either (the session reaper). Test methods may also
 * take the {@link RunReport}, {@link TestDeployment} or {@link LiveDeployment} of the class's only deployment as a
 * parameter.
 *
 * <pre>{@code
 * @ExtendWith(OrdoExtension.class) // implied by @Deployed
 * class ShopTest { ... }
 * }</pre>
 */
public final class OrdoExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OrdoExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        for (Field f : fields(context.getRequiredTestClass(), true)) {
            up(context, f, read(f, null));
        }
        for (Method m : methods(context.getRequiredTestClass(), true)) {
            up(context, m, call(m, null));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : fields(instance.getClass(), false)) {
                up(context, f, read(f, instance));
            }
            for (Method m : methods(instance.getClass(), false)) {
                up(context, m, call(m, instance));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Object> members = new ArrayList<>();
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            members.addAll(fields(instance.getClass(), false));
            members.addAll(methods(instance.getClass(), false));
        }
        tearDown(context, members);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<Object> members = new ArrayList<>(fields(context.getRequiredTestClass(), true));
        members.addAll(methods(context.getRequiredTestClass(), true));
        tearDown(context, members);
    }

    /**
     * Closes what {@link #up} registered for {@code members}, also after a failed test or a failed up. Closed here,
     * not by the store: a store closes only its {@code CloseableResource} values before JUnit 5.13 (deprecated since)
     * and {@code AutoCloseable} ones after; a value removed from the store is never closed twice.
     */
    private static void tearDown(ExtensionContext context, List<Object> members) {
        RuntimeException first = null;
        for (Object member : members) {
            TestDeployment d = context.getStore(NS).remove(member, TestDeployment.class);
            if (d == null) {
                continue;
            }
            try {
                d.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void up(ExtensionContext context, Object member, TestDeployment d) {
        // registered before the up, so that what a failed up left is torn down too
        context.getStore(NS).put(member, d);
        d.up();
    }

    private static TestDeployment call(Method m, Object instance) {
        try {
            m.setAccessible(true);
            Object value = m.invoke(instance);
            if (value instanceof TestDeployment t) {
                return t;
            }
            if (value instanceof Deployment d) {
                return TestDeployment.of(d);
            }
            throw new ExtensionConfigurationException("@Deployed method " + m.getName() + "() of "
                    + m.getDeclaringClass().getSimpleName() + " returned " + value + "; return a TestDeployment or a"
                    + " Deployment");
        } catch (ReflectiveOperationException e) {
            throw new ExtensionConfigurationException("@Deployed method " + m.getName() + "() failed: "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    private static List<Method> methods(Class<?> type, boolean statics) {
        List<Method> out = new ArrayList<>();
        for (Method m : AnnotationSupport.findAnnotatedMethods(type, Deployed.class, HierarchyTraversalMode.TOP_DOWN)) {
            if (m.getParameterCount() != 0 || !(TestDeployment.class.isAssignableFrom(m.getReturnType())
                    || Deployment.class.isAssignableFrom(m.getReturnType()))) {
                throw new ExtensionConfigurationException("@Deployed method " + m.getName() + " of "
                        + type.getSimpleName() + " must take no parameters and return a TestDeployment or a Deployment");
            }
            if (Modifier.isStatic(m.getModifiers()) == statics) {
                out.add(m);
            }
        }
        return out;
    }

    private static TestDeployment read(Field f, Object instance) {
        try {
            f.setAccessible(true);
            Object value = f.get(instance);
            if (value == null) {
                throw new ExtensionConfigurationException("@Deployed field '" + f.getName() + "' of "
                        + f.getDeclaringClass().getSimpleName() + " is null; initialise it with"
                        + " TestDeployment.of(deployment)");
            }
            return (TestDeployment) value;
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException("cannot read @Deployed field '" + f.getName() + "'", e);
        }
    }

    private static List<Field> fields(Class<?> type, boolean statics) {
        List<Field> out = new ArrayList<>();
        for (Field f : AnnotationSupport.findAnnotatedFields(type, Deployed.class, x -> true,
                HierarchyTraversalMode.TOP_DOWN)) {
            if (!TestDeployment.class.isAssignableFrom(f.getType())) {
                throw new ExtensionConfigurationException("@Deployed field '" + f.getName() + "' of "
                        + type.getSimpleName() + " is a " + f.getType().getSimpleName() + "; declare it as a"
                        + " TestDeployment: TestDeployment.of(deployment)");
            }
            if (Modifier.isStatic(f.getModifiers()) == statics) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        Class<?> t = p.getParameter().getType();
        return t == RunReport.class || t == TestDeployment.class || t == LiveDeployment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        List<TestDeployment> all = new ArrayList<>();
        Class<?> type = context.getRequiredTestClass();
        fields(type, true).forEach(f -> all.add(read(f, null)));
        context.getTestInstance().ifPresent(i -> fields(i.getClass(), false).forEach(f -> all.add(read(f, i))));
        // a method's deployment is the one the store holds (the method is called once, before the tests)
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            for (Method m : methods(type, true)) {
                Object held = c.getStore(NS).get(m);
                if (held != null && !all.contains(held)) {
                    all.add((TestDeployment) held);
                }
            }
            for (Method m : methods(type, false)) {
                Object held = c.getStore(NS).get(m);
                if (held != null && !all.contains(held)) {
                    all.add((TestDeployment) held);
                }
            }
        }
        if (all.size() != 1) {
            throw new ParameterResolutionException(type.getSimpleName() + " has " + all.size() + " @Deployed"
                    + " fields, so a " + p.getParameter().getType().getSimpleName() + " parameter is ambiguous;"
                    + " use the fields themselves (field.report(), field.live())");
        }
        TestDeployment d = all.get(0);
        Class<?> t = p.getParameter().getType();
        return t == RunReport.class ? d.report() : t == LiveDeployment.class ? d.live() : d;
    }
}
