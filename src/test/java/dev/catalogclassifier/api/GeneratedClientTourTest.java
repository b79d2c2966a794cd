package dev.catalogclassifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The API contract as a client's team uses it: a Java client generated from {@code /q/openapi} by openapi-generator
 * (its CLI from Maven Central, copied to {@code target/tools} by the build), compiled here, and the README's tour
 * ({@code src/test/client-tour}, written against the generated classes only) run through it against the service.
 * A document that declared no success body, or the wrong one, fails here: the tour could not compile or read it.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class GeneratedClientTourTest {

    private static final Path GENERATOR = Path.of("target", "tools", "openapi-generator-cli.jar");
    private static final Path CLIENT = Path.of("target", "generated-client");
    private static final Path TOUR = Path.of("src", "test", "client-tour");

    @TestHTTPResource("/")
    URI base;

    @Test
    void theReadmesTourRunsThroughAClientGeneratedFromTheDocument() throws Exception {
        OpenApiLintTest.write();
        generate();
        Path classes = compile();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            @SuppressWarnings("unchecked")
            List<String> steps = (List<String>) loader.loadClass("dev.catalogclassifier.tour.ClientTour")
                    .getMethod("run", URI.class).invoke(null, base);
            assertThat(steps).as("the tour's steps, each checked as it ran").containsExactly(
                    "classified two items into a pasted taxonomy",
                    "stored the furniture taxonomy and read it back",
                    "listed the taxonomies with the default one named",
                    "classified into the stored taxonomy by name",
                    "ran a job to completion and paged its results",
                    "read the job's breakdown",
                    "sent feedback on a result",
                    "was told there was nothing to retry",
                    "deleted the taxonomy");
        }
    }

    private static void generate() throws IOException, InterruptedException {
        assertThat(GENERATOR).as("the build copies openapi-generator's CLI (maven-dependency-plugin)").exists();
        deleteTree(CLIENT);
        Files.createDirectories(CLIENT);
        Path log = CLIENT.resolve("generator.log");
        Process generator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", GENERATOR.toString(), "generate", "-g", "java", "--library", "native",
                "-i", OpenApiLintTest.DOCUMENT.toString(), "-o", CLIENT.toString(),
                "--api-package", "dev.catalogclassifier.client.api", "--model-package", "dev.catalogclassifier.client.model",
                "--invoker-package", "dev.catalogclassifier.client",
                "--additional-properties=useJakartaEe=true,openApiNullable=false,hideGenerationTimestamp=true,generateAliasAsModel=true",
                "--global-property=apiTests=false,modelTests=false,apiDocs=false,modelDocs=false,skipFormModel=false")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(generator.waitFor(5, TimeUnit.MINUTES)).as("the generator finished").isTrue();
        assertThat(generator.exitValue()).as(Files.readString(log)).isZero();
    }

    /** Compiles the generated client and the tour against the test's class path; reports javac's diagnostics. */
    private static Path compile() throws IOException {
        Path classes = CLIENT.resolve("classes");
        Files.createDirectories(classes);
        List<Path> sources;
        try (Stream<Path> generated = Files.walk(CLIENT.resolve("src/main/java")); Stream<Path> tour = Files.walk(TOUR)) {
            sources = Stream.concat(generated, tour).filter(p -> p.toString().endsWith(".java")).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean compiled = javac.getTask(null, files, diagnostics, List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString(), "-proc:none", "-nowarn"), null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(compiled).as("javac: %s", diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR).limit(20).toList()).isTrue();
        }
        return classes;
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
