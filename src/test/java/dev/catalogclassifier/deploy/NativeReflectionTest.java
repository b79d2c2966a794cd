package dev.catalogclassifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * Native-image readiness that can be checked without GraalVM: Jackson reads and writes records by reflection,
 * which a native image only allows for registered classes. Every record reachable from a REST resource's
 * signature or from a registered record must itself be registered, and the resources the service loads at
 * run time must be included in the image.
 */
class NativeReflectionTest {

    private static final java.nio.file.Path CLASSES = java.nio.file.Path.of("target", "classes");
    private static final String APP = "dev.catalogclassifier.";

    @Test
    void everyRecordOnTheWireIsRegisteredForReflection() {
        List<Class<?>> classes = appClasses();
        Deque<Type> todo = new ArrayDeque<>();
        for (Class<?> type : classes) {
            if (type.isAnnotationPresent(RegisterForReflection.class)) {
                todo.add(type);
            }
            if (type.isAnnotationPresent(Path.class)) {
                for (Method method : type.getDeclaredMethods()) {
                    if (!endpoint(method)) {
                        continue;
                    }
                    todo.add(method.getGenericReturnType());
                    todo.addAll(List.of(method.getGenericParameterTypes()));
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        Set<Type> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Type type = todo.pop();
            if (seen.add(type)) {
                visit(type, todo, missing);
            }
        }
        assertThat(seen).as("records found on the wire").hasSizeGreaterThan(20);
        assertThat(missing).as("records Jackson needs but a native image would not let it reflect on").isEmpty();
    }

    @Test
    void theModelAndTokenizerTheLocalClassifierLoadsAreIncludedInTheImage() throws IOException {
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(java.nio.file.Path.of("src/main/resources/application.properties"))) {
            config.load(in);
        }
        String includes = config.getProperty("quarkus.native.resources.includes", "");
        assertThat(includes.split(",")).contains("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json");
        for (String resource : List.of("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json")) {
            assertThat(getClass().getClassLoader().getResource(resource)).as(resource + " on the class path").isNotNull();
        }
    }

    private static boolean endpoint(Method method) {
        return method.isAnnotationPresent(Path.class) || Stream.of(method.getAnnotations())
                .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    private static void visit(Type type, Deque<Type> todo, Set<String> missing) {
        switch (type) {
            case ParameterizedType p -> {
                todo.add(p.getRawType());
                todo.addAll(List.of(p.getActualTypeArguments()));
            }
            case GenericArrayType a -> todo.add(a.getGenericComponentType());
            case WildcardType w -> todo.addAll(List.of(w.getUpperBounds()));
            case Class<?> c when c.isArray() -> todo.add(c.getComponentType());
            case Class<?> c when c.isRecord() && c.getName().startsWith(APP) -> {
                if (!registered(c)) {
                    missing.add(c.getName());
                }
                for (RecordComponent component : c.getRecordComponents()) {
                    todo.add(component.getGenericType());
                }
            }
            default -> {
            }
        }
    }

    /** Registered itself, or nested in a registered class (RegisterForReflection covers nested classes). */
    private static boolean registered(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            RegisterForReflection annotation = c.getAnnotation(RegisterForReflection.class);
            if (annotation != null && (c == type || !annotation.ignoreNested())) {
                return true;
            }
        }
        return false;
    }

    private static List<Class<?>> appClasses() {
        try (Stream<java.nio.file.Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class")).map(NativeReflectionTest::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(java.nio.file.Path file) {
        String name = CLASSES.relativize(file).toString().replace('/', '.').replaceFirst("\\.class$", "");
        try {
            return Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
