package dev.catalogclassifier.database;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Production behaviour without a database: the service starts, the streaming API works, job endpoints answer
 * 503, and once a database appears at the configured address they recover by themselves.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.NoDatabaseYet.class)
@WithTestResource(FakeOpenAiResource.class)
class DatabaseDownTest {

    static final int PORT = freePort();
    static EmbeddedPostgres postgres;

    public static class NoDatabaseYet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + PORT + "/postgres",
                    "quarkus.datasource.username", "postgres", "quarkus.datasource.password", "postgres",
                    // as in production: no migration at start-up, so start-up does not need the database
                    "quarkus.flyway.migrate-at-start", "false", "quarkus.flyway.clean-at-start", "false");
        }
    }

    @Test
    void jobsAnswer503WhileStreamingWorksAndTheyRecoverWhenTheDatabaseComes() throws IOException {
        given().get("/q/health/ready").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/jobs").then().statusCode(503).contentType("application/problem+json")
                .body("type", containsString("job-store-unavailable")).body("detail", containsString("database"));
        given().get("/api/v1/jobs").then().statusCode(503).contentType("application/problem+json");
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}]}").post("/api/v1/classifications")
                .then().statusCode(200).body("results[0].status", equalTo("ok"));

        postgres = EmbeddedPostgres.builder().setPort(PORT).start();

        await().atMost(Duration.ofSeconds(90)).until(() -> given().get("/api/v1/jobs").statusCode() == 200);
        String location = given().contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "completed".equals(given().get(location).then().extract().path("status")));
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The profile and the test run in different class loaders; a system property gives both the same port. */
    private static synchronized int freePort() {
        String chosen = System.getProperty("catalog-classifier.test.database-down-port");
        if (chosen != null) {
            return Integer.parseInt(chosen);
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            System.setProperty("catalog-classifier.test.database-down-port", String.valueOf(socket.getLocalPort()));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
