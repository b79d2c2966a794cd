package dev.catalogclassifier.taxonomy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A taxonomy file is embedded and calibrated once, not at every start; one stored in an older release's format (a
 * calibration of the vote alone, before the supervised head) is stored again, and then has its head.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class TaxonomyFilesTest {

    @Inject
    TaxonomyFiles files;

    @Inject
    Pool pool;

    /** Two categories, ten series of three examples each: enough groups for 5 folds, and small enough for a head. */
    private static Path file(Path dir, String name, int series) throws Exception {
        List<Map<String, String>> examples = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            examples.add(Map.of("name", "SERIES" + s, "description", "Bed frame, high", "category", "Beds"));
            examples.add(Map.of("name", "SERIES" + s, "description", "Armchair, fabric", "category", "Chairs"));
            examples.add(Map.of("name", "SERIES" + s, "description", "Double bed with storage", "category", "Beds"));
        }
        Path file = dir.resolve(name + ".json");
        new ObjectMapper().writeValue(file.toFile(), Map.of("categories", List.of("Beds", "Chairs"), "examples", examples,
                "cascade", Map.of("group_by", "name")));
        return file;
    }

    @Test
    void anUnchangedFileIsNotStoredAgainButOneCalibratedBeforeTheHeadIs() throws Exception {
        Path file = file(Files.createTempDirectory("taxonomies"), "files-head", 10);
        assertThat(files.load(file).await().indefinitely()).as("first load stores it").isTrue();
        assertThat(files.load(file).await().indefinitely()).as("unchanged: skipped").isFalse();
        assertThat(given().get("/api/v1/taxonomies/files-head").then().statusCode(200).extract().jsonPath()
                .getDouble("cascade.head_share")).isNotNull();

        // as an older release left it: a version-1 calibration (one of the vote alone), and no head
        byte[] v1 = java.nio.ByteBuffer.allocate(1 + 4 + 1 + 4 + 4 + 5).put((byte) 1).putInt(5).put((byte) 1).putInt(30)
                .putInt(1).putFloat(0.5f).put((byte) 1).array();
        pool.preparedQuery("UPDATE taxonomy SET calibration = $1, head = NULL WHERE name = $2")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(v1), "files-head")).await().indefinitely();
        assertThat(given().get("/api/v1/taxonomies/files-head").then().statusCode(200).extract().jsonPath()
                .getString("cascade.head_share")).as("read as the vote alone").isNull();
        assertThat(files.load(file).await().indefinitely()).as("an older format: stored again").isTrue();
        assertThat(given().get("/api/v1/taxonomies/files-head").then().statusCode(200).extract().jsonPath()
                .getDouble("cascade.head_share")).isNotNull();
        assertThat(files.load(file).await().indefinitely()).isFalse();
    }

    @Test
    void aFileWithTooFewGroupsToCalibrateIsStoredOnce() throws Exception {
        Path file = file(Files.createTempDirectory("taxonomies"), "files-few-groups", 2);
        assertThat(files.load(file).await().indefinitely()).isTrue();
        assertThat(given().get("/api/v1/taxonomies/files-few-groups").then().statusCode(200).extract().jsonPath()
                .getBoolean("cascade.calibrated")).isFalse();
        assertThat(files.load(file).await().indefinitely()).as("nothing to calibrate: not stored again").isFalse();
    }
}
