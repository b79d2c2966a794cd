package dev.catalogclassifier.taxonomy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * On the packaged jar, with no API key: a taxonomy file is stored at start-up (a broken one is skipped and the
 * service still starts), a taxonomy PUT through the API survives a restart, and requests naming either are
 * answered from their examples after it.
 */
class TaxonomyRestartIT {

    @Test
    void taxonomiesFromFilesAndTheApiSurviveARestart() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "taxonomy-it"));
        Path rooms = Files.writeString(dir.resolve("rooms.json"), TaxonomyResourceTest.CODED);
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"categories\": [\"Only one\"]}");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> env = ServiceProcess.env(postgres, "QUARKUS_PROFILE", "prod",
                    "CLASSIFIER_TAXONOMIES_FILES", broken.toAbsolutePath() + "," + rooms.toAbsolutePath());
            Path log = dir.resolve("service.log");
            Files.deleteIfExists(log); // the log assertion below must see this run only
            String roomsUpdatedAt;
            try (ServiceProcess first = ServiceProcess.start(ServiceProcess.JAR, env, log)) {
                first.awaitOk("/api/v1/taxonomies/rooms");
                roomsUpdatedAt = api(first).get("/api/v1/taxonomies/rooms").then().statusCode(200)
                        .body("source", equalTo("file")).body("examples", equalTo(8)).extract().path("updated_at");
                api(first).get("/api/v1/taxonomies/broken").then().statusCode(404);
                api(first).contentType(ContentType.JSON).body(TaxonomyResourceTest.SWAPPED).put("/api/v1/taxonomies/shop").then().statusCode(201);
                assertThat(classify(first, "shop")).containsExactly("Beta", "Alpha");
                first.kill();
            }
            try (ServiceProcess second = ServiceProcess.start(ServiceProcess.JAR, env, log)) {
                second.awaitOk("/api/v1/taxonomies/shop");
                api(second).get("/api/v1/taxonomies/rooms").then().statusCode(200)
                        .body("updated_at", equalTo(roomsUpdatedAt)); // the unchanged file was not stored again
                api(second).get("/api/v1/taxonomies/shop").then().statusCode(200)
                        .body("source", equalTo("api")).body("categories", contains("Alpha", "Beta"));
                assertThat(classify(second, "shop")).containsExactly("Beta", "Alpha");
                assertThat(classify(second, "rooms")).containsExactly("Alpha", "Beta");
            }
        }
        assertThat(Files.readString(Path.of("target", "taxonomy-it", "service.log")))
                .contains("Taxonomy file " + broken.toAbsolutePath() + " was not loaded");
    }

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.base().toString());
    }

    private static List<String> classify(ServiceProcess service, String taxonomy) {
        return api(service).contentType(ContentType.JSON).accept(ContentType.JSON).body("""
                {"taxonomy": "%s", "items": [
                  {"id": "a", "name": "VIMLE", "description": "2-seat sofa, 180x98 cm"},
                  {"id": "b", "name": "NORDEN", "description": "Gateleg table"}]}""".formatted(taxonomy))
                .post("/api/v1/classifications").then().statusCode(200)
                .body("results.model", contains("local-minilm-l6-v2-q", "local-minilm-l6-v2-q"))
                .extract().path("results.category");
    }
}
