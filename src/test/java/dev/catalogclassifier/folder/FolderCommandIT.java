package dev.catalogclassifier.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import dev.catalogclassifier.testsupport.TestImages;

/**
 * The folder command on the packaged jar, as a user runs it, over a generated {@code images/<property>/<category>/}
 * tree and against the fake provider: batch files with features, a skipped blurred photo, a stuck category that
 * fails alone, property selection and {@code --all}.
 */
class FolderCommandIT {

    static final Path DIR = Path.of("target", "folder-it").toAbsolutePath();
    static final Path IMAGES = DIR.resolve("images");
    static final Path OUTPUT = DIR.resolve("output");
    static FakeOpenAi fake;

    @BeforeAll
    static void tree() throws IOException {
        fake = new FakeOpenAi(0);
        delete(DIR);
        byte[] sharp = TestImages.jpeg(TestImages.sharp(800, 600));
        for (int i = 1; i <= 12; i++) {
            write("P100/sofas/sofa-" + String.format("%02d", i) + ".jpg", sharp);
        }
        write("P100/sofas/blurred.png", TestImages.png(TestImages.blurred(800, 600)));
        write("P100/sofas/notes.txt", "not a photo".getBytes());
        for (int i = 1; i <= 3; i++) {
            write("P100/beds/bed-" + i + ".jpg", sharp);
        }
        write("P100/stuck [hang]/photo.jpg", sharp);
        write("P200/chairs/chair-1.jpg", sharp);
    }

    @BeforeEach
    void noOutputYet() throws IOException {
        delete(OUTPUT);
        fake.reset();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void describesTheChosenPropertyInBatchesAndAStuckCategoryFailsAlone() throws Exception {
        Run run = folders("P100");
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).doesNotContain("INFO").doesNotContain("WARN").contains("P100/sofas: skipped blurred.png (the photo is blurred")
                .contains("Summary: 17 photos found, 15 analyzed, 1 skipped; 3 batch files")
                .contains("FAILED P100/stuck [hang]: ran past its timeout")
                .contains("2 of 3 categories succeeded")
                // the stuck category's request is closed before the shutdown, not failed after it
                .doesNotContain("Exception").doesNotContain("After Shutdown");

        JsonNode first = read("P100/sofas_batch_01.json");
        assertThat(first.path("category").asText()).isEqualTo("sofas");
        assertThat(first.path("images_analyzed").asInt()).isEqualTo(10);
        assertThat(first.path("features")).hasSize(10);
        assertThat(first.path("features").get(0).path("quality_rating").asInt()).isBetween(1, 10);
        assertThat(first.path("summary").asText()).isEqualTo("10 photos of sofas in good condition");
        assertThat(first.path("cost_usd").asDouble()).isPositive();
        assertThat(first.path("skipped").get(0).path("file").asText()).isEqualTo("blurred.png");
        assertThat(first.path("skipped").get(0).path("reason").asText()).isEqualTo("blurred");
        assertThat(read("P100/sofas_batch_02.json").path("images_analyzed").asInt()).isEqualTo(2);
        assertThat(read("P100/beds_batch_01.json").path("images").toString()).contains("bed-1.jpg", "bed-3.jpg");
        assertThat(OUTPUT.resolve("P200")).doesNotExist();
        assertThat(fake.maxConcurrent()).as("categories run in parallel").isGreaterThan(1);
        // every photo sent was scaled and re-encoded: 800x600 stays 800x600, as JPEG
        assertThat(fake.calls()).allSatisfy(c -> assertThat(c.photo().mimeType()).isEqualTo("image/jpeg"));
    }

    @Test
    void allTakesEveryPropertyAndAMissingPropertyIsAUsageError() throws Exception {
        Run all = folders("--all");
        // the stuck category fails, every other one of both properties succeeds; what the command said comes first
        assertThat(all.output()).as("exit %d", all.exit()).contains("3 of 4 categories succeeded");
        assertThat(all.exit()).as(all.output()).isEqualTo(1);
        assertThat(read("P200/chairs_batch_01.json").path("images_analyzed").asInt()).as(all.output()).isEqualTo(1);
        Run missing = folders("P999");
        assertThat(missing.exit()).as(missing.output()).isEqualTo(2);
        assertThat(missing.output()).contains("No property folder P999");
        Run none = folders();
        assertThat(none.exit()).as(none.output()).isEqualTo(2);
        assertThat(none.output()).contains("Name the properties to describe, or --all").contains("Usage: folders");
    }

    private record Run(int exit, String output) {
    }

    private static Run folders(String... args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("folders", IMAGES.toString()));
        arguments.addAll(List.of(args));
        List<String> command = ServiceProcess.command(ServiceProcess.JAR, arguments);
        // a log per run, so a later run cannot overwrite what a failed one said
        Path log = DIR.resolve("run-" + (args.length == 0 ? "no-properties" : String.join("-", args).replaceAll("[^A-Za-z0-9-]", "")) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // long enough for a category's calls on a busy machine; the stuck one uses all of it
        builder.environment().putAll(Map.of("OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key",
                "CLASSIFIER_FOLDERS_OUTPUT", OUTPUT.toString(), "CLASSIFIER_FOLDERS_CATEGORY_TIMEOUT", "10s"));
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the folder command did not finish: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private static JsonNode read(String file) throws IOException {
        return new ObjectMapper().readTree(OUTPUT.resolve(file).toFile());
    }

    private static void write(String path, byte[] bytes) throws IOException {
        Path file = IMAGES.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
