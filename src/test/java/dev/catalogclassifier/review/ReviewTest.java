package dev.catalogclassifier.review;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.Metrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Every result says how sure the service is ({@code chance}, where a calibration can say it) and whether someone
 * should look at it ({@code review}); the summary, a job's counts, its results filter and its CSV count and show the
 * same, and Prometheus counts it per taxonomy.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class ReviewTest {

    /** Twelve categories a new user tries first, as the README's list does. */
    private static final List<String> TWELVE = List.of("Sofas & armchairs", "Beds", "Chairs", "Tables & desks",
            "Bookcases & shelving units", "Cabinets & cupboards", "Wardrobes", "Outdoor furniture", "TV & media furniture",
            "Chests of drawers & drawer units", "Children's furniture", "Lighting");

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static Map<String, Object> item(String id, String name, String description) {
        return Map.of("id", id, "name", name, "description", description);
    }

    /** A cot, a plate and a cushion cover, which no category of the twelve fits well, and an armchair, which one does. */
    private static final List<Map<String, Object>> GUESSES = List.of(
            item("cot", "SUNDVIK", "Cot, 60x120 cm"), item("plate", "IKEA 365+", "Plate, 27 cm"),
            item("cover", "GURLI", "Cushion cover, 50x50 cm"), item("chair", "POÄNG", "Armchair, birch veneer"));

    @Test
    void theLocalModelsGuessesAreMarkedAndTheSummaryCountsThem() {
        JsonPath answer = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("classifier", "local", "taxonomy", TWELVE, "items", GUESSES))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> results = answer.getList("results");
        assertThat(results).as(answer.prettify()).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("ok");
            assertThat(r).as("an inline list has no calibration to state a chance with").doesNotContainKey("chance");
        });
        for (String guess : List.of("cot", "plate", "cover")) {
            Map<String, Object> r = results.stream().filter(x -> guess.equals(x.get("id"))).findFirst().orElseThrow();
            assertThat(r.get("review")).as("%s at %s", r.get("category"), r.get("confidence")).isEqualTo(true);
        }
        long marked = results.stream().filter(r -> Boolean.TRUE.equals(r.get("review"))).count();
        assertThat(answer.getInt("summary.review")).isEqualTo((int) marked);
        assertThat(answer.getInt("summary.settled_locally")).isEqualTo(4);
        assertThat(answer.getMap("summary")).as("not a cascade: no cascade report to contradict the count")
                .doesNotContainKey("cascade");
        assertThat(fake.calls()).isEmpty();
    }

    /**
     * Items the local model is sure of, each answered wrongly by the model. On an inline list nothing can state a
     * chance and nothing learns, so the answers are not scored (an embedding per item would cost more CPU than the rest
     * of the item's way): none is marked, though the local model all but rules several of them out.
     */
    @Test
    void answersOfTheModelOnAnInlineListAreNotScored() {
        List<Map<String, Object>> clear = List.of(item("bed", "MALM", "Bed frame, high, 160x200 cm"),
                item("wardrobe", "PAX", "Wardrobe, white, 100x58x236 cm"), item("lamp", "HEKTAR", "Pendant lamp, dark grey"),
                item("shelf", "BILLY", "Bookcase, white, 80x28x202 cm"), item("sofa", "KIVIK", "3-seat sofa, Tresund anthracite"));
        Map<String, java.util.Set<String>> truth = Map.of(
                FakeOpenAi.itemKey("MALM", "Bed frame, high, 160x200 cm"), java.util.Set.of("Beds"),
                FakeOpenAi.itemKey("PAX", "Wardrobe, white, 100x58x236 cm"), java.util.Set.of("Wardrobes"),
                FakeOpenAi.itemKey("HEKTAR", "Pendant lamp, dark grey"), java.util.Set.of("Lighting"),
                FakeOpenAi.itemKey("BILLY", "Bookcase, white, 80x28x202 cm"), java.util.Set.of("Bookcases & shelving units"),
                FakeOpenAi.itemKey("KIVIK", "3-seat sofa, Tresund anthracite"), java.util.Set.of("Sofas & armchairs"));
        fake.oracle(truth, 0.0); // wrong on every item
        JsonPath answer = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("classifier", "llm", "taxonomy", TWELVE, "items", clear))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> results = answer.getList("results");
        assertThat(results).as(answer.prettify()).hasSize(5).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("ok");
            assertThat(r.get("model")).isNotEqualTo("local-minilm-l6-v2-q");
            assertThat(r).doesNotContainKey("chance");
            assertThat(r.get("review")).isEqualTo(false);
        });
        Map<String, String> right = Map.of("bed", "Beds", "wardrobe", "Wardrobes", "lamp", "Lighting",
                "shelf", "Bookcases & shelving units", "sofa", "Sofas & armchairs");
        assertThat(results).as("the model was wrong on each").allSatisfy(r -> assertThat(r.get("category"))
                .isNotEqualTo(right.get((String) r.get("id"))));
        assertThat(answer.getInt("summary.review")).isZero();
    }

    @Test
    void theSummarysCountsAgreeWithEachOtherAndWithTheResults() {
        // a cascade with no calibration: what the local model is 0.9 sure of is settled, the rest goes to the model
        JsonPath answer = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("classifier", "cascade", "taxonomy", TWELVE, "items", GUESSES))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> results = answer.getList("results");
        long local = results.stream().filter(r -> "local-minilm-l6-v2-q".equals(r.get("model"))).count();
        long ok = results.stream().filter(r -> "ok".equals(r.get("status"))).count();
        long marked = results.stream().filter(r -> Boolean.TRUE.equals(r.get("review"))).count();
        assertThat(answer.getInt("summary.succeeded")).as(answer.prettify()).isEqualTo((int) ok);
        assertThat(answer.getInt("summary.settled_locally")).isEqualTo((int) local);
        assertThat(answer.getInt("summary.cascade.settled_locally")).isEqualTo((int) local);
        assertThat(answer.getInt("summary.review")).isEqualTo((int) marked);
        assertThat(fake.calls().stream().map(FakeOpenAi.Call::item).distinct()).as("the items asked of the model")
                .hasSize((int) (results.size() - local));
        assertThat(results).allSatisfy(r -> assertThat(r).as("every ok result is judged").containsKey("review"));
    }

    @Test
    void aJobCountsItsResultsForReviewFiltersThemAndExportsTheVerdict() {
        String location = given().contentType(ContentType.JSON)
                .body(Map.of("classifier", "local", "taxonomy", TWELVE, "items", GUESSES)).post("/api/v1/jobs")
                .then().statusCode(202).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        JsonPath job = given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
        JsonPath marked = given().get("/api/v1/jobs/" + id + "/results?review=true").then().statusCode(200).extract().jsonPath();
        assertThat(marked.getList("items.id", String.class)).as(marked.prettify()).contains("cot", "plate", "cover");
        assertThat(marked.getList("items.review", Boolean.class)).containsOnly(true);
        assertThat(job.getInt("counts.review")).isEqualTo(marked.getInt("total"));
        given().get("/api/v1/jobs/" + id + "/results?review=false").then().statusCode(200)
                .body("total", equalTo(4 - marked.getInt("total")));
        given().get("/api/v1/jobs/" + id + "/results?review=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("review"));

        List<String> csv = given().accept("text/csv").get("/api/v1/jobs/" + id + "/results?review=true").then()
                .statusCode(200).extract().asString().lines().toList();
        assertThat(csv.getFirst()).contains("category,confidence,review,error,error_message,status,chance");
        assertThat(csv).hasSize(1 + marked.getInt("total"));
        assertThat(csv.subList(1, csv.size())).allSatisfy(line -> assertThat(line).contains(",true,"));
    }

    @Test
    void prometheusCountsTheVerdictsPerTaxonomy() {
        double before = Math.max(0, Metrics.value("classifier_review_items_total{review=\"true\",taxonomy=\"inline\""));
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("classifier", "local", "taxonomy", TWELVE, "items", GUESSES))
                .post("/api/v1/classifications").then().statusCode(200);
        String metrics = given().accept("text/plain").get("/q/metrics").asString();
        assertThat(Metrics.value("classifier_review_items_total{review=\"true\",taxonomy=\"inline\""))
                .as(metrics.lines().filter(l -> l.contains("review")).collect(java.util.stream.Collectors.joining("\n")))
                .isGreaterThanOrEqualTo(before + 3);
    }
}
