package dev.catalogclassifier.review;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two pods of the packaged service on one database, learning as shipped: what pod A learns from the model, pod B
 * answers with at its next request; it survives pod B's kill -9 and restart; and once dropped through pod A, pod B
 * answers as before it was learnt.
 */
class LearningAcrossPodsIT {

    private static final String COT_NAME = "SUNDVIK";
    private static final String COT = "Cot, 60x120 cm";
    private static final List<String> CATEGORIES = List.of("Beds", "Children's furniture", "Chairs", "Tables & desks",
            "Wardrobes");

    @Test
    void whatOnePodLearnsAnotherAnswersWithAfterARestartToo() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key");
            Path logs = Path.of("target", "learning-it");
            try (ServiceProcess a = ServiceProcess.start(ServiceProcess.JAR, env, logs.resolve("pod-a.log"))) {
                a.awaitOk("/api/v1/jobs");
                api(a).contentType(ContentType.JSON).body(Map.of("categories", CATEGORIES))
                        .put("/api/v1/taxonomies/rooms").then().statusCode(201);
                String learnt;
                String before;
                try (ServiceProcess b = ServiceProcess.start(ServiceProcess.JAR, env, logs.resolve("pod-b.log"))) {
                    b.awaitOk("/api/v1/jobs");
                    JsonPath local = localAnswer(b, true);
                    before = local.getString("results[0].category");
                    // the model's answer: the local model's runner-up, plausible but not what it answers itself
                    learnt = local.getString("results[0].candidates[1].category");
                    fake.oracle(Map.of(FakeOpenAi.itemKey(COT_NAME, COT), Set.of(learnt)), 1.0);
                    JsonPath asked = api(a).contentType(ContentType.JSON).accept(ContentType.JSON)
                            .body(Map.of("taxonomy", "rooms", "classifier", "llm", "items", List.of(cot("asked"))))
                            .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
                    assertThat(asked.getString("results[0].category")).as(asked.prettify()).isEqualTo(learnt);

                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                            localAnswer(b, false).getString("results[0].category")).isEqualTo(learnt));
                    b.kill();
                }
                try (ServiceProcess b = ServiceProcess.start(ServiceProcess.JAR, env, logs.resolve("pod-b.log"))) {
                    b.awaitOk("/api/v1/jobs");
                    assertThat(localAnswer(b, false).getString("results[0].category")).as("after kill -9 and a restart")
                            .isEqualTo(learnt);
                    JsonPath listed = api(b).get("/api/v1/taxonomies/rooms/examples?source=model").then().statusCode(200)
                            .extract().jsonPath();
                    assertThat(listed.getInt("total")).as(listed.prettify()).isEqualTo(1);
                    assertThat(listed.getString("examples[0].category")).isEqualTo(learnt);

                    api(a).delete("/api/v1/taxonomies/rooms/examples?source=model").then().statusCode(200)
                            .body("examples_by_source.model", equalTo(0));
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                            localAnswer(b, false).getString("results[0].category")).isEqualTo(before));
                }
            }
        }
    }

    private static Map<String, String> cot(String id) {
        return Map.of("id", id, "name", COT_NAME, "description", COT);
    }

    /** The cot as the in-process model answers it on {@code pod}, with its likeliest categories when {@code explain}. */
    private static JsonPath localAnswer(ServiceProcess pod, boolean explain) {
        return api(pod).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("taxonomy", "rooms", "classifier", "local", "explain", explain, "items", List.of(cot("local"))))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
    }

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.base().toString());
    }
}
