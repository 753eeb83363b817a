package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.DeploymentProvider;
import dev.ordo.compose.ComposeFile;
import dev.ordo.compose.ComposeImport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The user's own deployment for the runner: a compose file ({@code -f docker-compose.yml}), a single Java source
 * file with a {@link DeploymentProvider} ({@code -f Shop.java}, compiled in memory against Ordo), or a provider class
 * on a class path ({@code --class com.example.Shop --classpath shop.jar}).
 *
 * <pre>{@code
 * LoadedDeployment shop = UserDeployment.fromFile(Path.of("docker-compose.yml"));
 * }</pre>
 */
final class UserDeployment {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

    private UserDeployment() {
    }

    /** Whether {@code file} is a compose file by its name ({@code .yml}, {@code .yaml}). */
    static boolean isCompose(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    /** Whether Compose would find a project here without {@code -f}: COMPOSE_FILE, or a compose file here or above. */
    static boolean composeHere(Path directory) {
        if (System.getenv("COMPOSE_FILE") != null && !System.getenv("COMPOSE_FILE").isBlank()) {
            return true;
        }
        Path dir = (directory == null ? Path.of("") : directory).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            for (String n : List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")) {
                if (Files.isRegularFile(d.resolve(n))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A compose project as the runner's options give it: the {@code -f} files (none: found as Compose finds them),
     * {@code -p}, {@code --env-file}, {@code --project-directory}.
     */
    record Compose(List<Path> files, String projectName, List<Path> envFiles, Path projectDirectory) {
        ComposeImport load(List<String> profiles, List<String> targets) {
            for (Path f : files) {
                if (!isCompose(f)) {
                    throw new IllegalArgumentException("-f: " + f + " is not a compose file (.yml, .yaml); several -f"
                            + " merge compose files, and a Java source file comes alone");
                }
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException("-f: " + f + " does not exist; give a compose file");
                }
            }
            ComposeImport imported = file(profiles).load();
            List<String> more = new ArrayList<>(profiles.isEmpty() ? imported.profiles() : profiles);
            for (String t : targets) {
                List<String> p = imported.disabled().get(t);
                if (p != null && p.stream().noneMatch(more::contains)) {
                    more.add(p.get(0)); // as Compose: naming a service enables its profile
                }
            }
            return more.size() > (profiles.isEmpty() ? imported.profiles() : profiles).size()
                    ? file(more).load() : imported;
        }

        private ComposeFile file(List<String> profiles) {
            ComposeFile f = files.isEmpty() ? ComposeFile.discover(projectDirectory == null ? Path.of("")
                    .toAbsolutePath() : projectDirectory) : ComposeFile.files(files);
            if (projectDirectory != null && !files.isEmpty()) {
                f = f.projectDirectory(projectDirectory);
            }
            if (projectName != null) {
                f = f.projectName(projectName);
            }
            if (!envFiles.isEmpty()) {
                f = f.envFiles(envFiles.toArray(Path[]::new));
            }
            return profiles.isEmpty() ? f : f.profiles(profiles.toArray(String[]::new));
        }
    }

    /** From {@code file}: {@code .yml}/{@code .yaml} is a compose file, {@code .java} a provider's source. */
    static LoadedDeployment fromFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("-f: " + file + " does not exist; give a docker-compose.yml or a Java"
                    + " source file with a DeploymentProvider");
        }
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            ComposeImport imported = ComposeFile.at(file).load();
            return new LoadedDeployment(imported.deployment(), imported.warnings());
        }
        if (name.endsWith(".java")) {
            return new LoadedDeployment(fromSource(file), List.of());
        }
        throw new IllegalArgumentException("-f: " + file + " is neither a compose file (.yml, .yaml) nor Java source"
                + " (.java)");
    }

    private static Deployment fromSource(Path source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalArgumentException("-f " + source + ": compiling Java needs a JDK, and this runner runs on"
                    + " a JRE; run it with a JDK's java, or compile the class and use --class with --classpath");
        }
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new IllegalArgumentException("-f: cannot read " + source + ": " + e.getMessage(), e);
        }
        Path out;
        try {
            out = Files.createTempDirectory("ordo-user-deployment");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory to compile " + source, e);
        }
        StringWriter diagnostics = new StringWriter();
        int rc = javac.run(null, null, new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                diagnostics.write(b);
            }
        }, true), "-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "--release", "17",
                "-proc:none", source.toString());
        if (rc != 0) {
            throw new IllegalArgumentException("-f " + source + " does not compile:\n" + diagnostics.toString().strip());
        }
        // the classes stay until the JVM exits (they load lazily), then go: directories registered first go last
        try (var files = Files.walk(out)) {
            files.forEach(f -> f.toFile().deleteOnExit());
        } catch (IOException e) {
            // left in the temporary directory
        }
        Matcher m = PACKAGE.matcher(text);
        String simple = source.getFileName().toString().replaceFirst("\\.java$", "");
        String className = m.find() ? m.group(1) + "." + simple : simple;
        return fromClass(className, List.of(out));
    }

    /** From class {@code className}, found on {@code classpath} (jars or directories) or the runner's own. */
    static Deployment fromClass(String className, List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--classpath: " + p + " does not exist");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--classpath: " + p + " is not a path Java can load from", e);
            }
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), UserDeployment.class.getClassLoader());
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("--class: " + className + " is not on the class path " + classpath
                    + " (" + e + "); give the jar or directory that holds it with --classpath", e);
        }
        if (!DeploymentProvider.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("--class: " + className + " does not implement "
                    + DeploymentProvider.class.getName() + "; implement it (one method: Deployment deployment())");
        }
        try {
            DeploymentProvider p = (DeploymentProvider) type.getConstructor().newInstance();
            Deployment d = p.deployment();
            if (d == null) {
                throw new IllegalArgumentException("--class: " + className + ".deployment() returned null");
            }
            return d;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("--class: " + className + " needs a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r; // e.g. a ValidationException naming the node at fault
            }
            throw new IllegalArgumentException("--class: " + className + " failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--class: cannot create " + className + ": " + e, e);
        }
    }
}
