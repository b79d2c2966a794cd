package dev.catalogclassifier.cascade;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import dev.catalogclassifier.testsupport.BenchData;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.IkeaSplit;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A taxonomy calibrated when it is stored, through HTTP: IKEA's series three in four as examples, grouped by series,
 * and the fourth's items classified as a catalogue's new series would be. What the taxonomy promises, and that a
 * request asking more precision settles fewer items locally and sends the rest to the model.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class CascadeApiTest {

    private static final String NAME = "ikea-calibrated";
    private static final List<BenchData.IkeaItem> NEW_SERIES = IkeaSplit.NEW_SERIES;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static Map<String, Object> definition(Object cascade) {
        return IkeaSplit.definition(cascade);
    }

    @Test
    void aStoredTaxonomySaysWhatItsCascadePromisesAndARequestAskingMoreSettlesLess() {
        // more examples than a PUT embeds while the caller waits: prepared in the background, then read
        dev.catalogclassifier.testsupport.Taxonomies.store(NAME, definition(Map.of("precision", 0.9, "group_by", "name")));
        JsonPath read = given().get("/api/v1/taxonomies/" + NAME).then().statusCode(200).extract().jsonPath();
        for (JsonPath view : List.of(read)) {
            assertThat(view.getBoolean("cascade.calibrated")).as(view.prettify()).isTrue();
            assertThat(view.getDouble("cascade.precision")).isEqualTo(0.9);
            assertThat(view.getString("cascade.grouped_by")).isEqualTo("name");
            assertThat(view.getInt("cascade.folds")).isEqualTo(5);
            assertThat(view.getInt("cascade.examples")).isEqualTo(view.getInt("examples"));
            assertThat(view.getBoolean("cascade.sampled")).isFalse();
            assertThat(view.getDouble("cascade.threshold")).isBetween(0.0, 1.0);
            assertThat(view.getDouble("cascade.settled_share")).isBetween(0.05, 0.99);
            assertThat(view.getDouble("cascade.estimated_precision_interval.low")).isGreaterThanOrEqualTo(0.9);
            assertThat(view.getDouble("cascade.estimated_precision")).isBetween(
                    view.getDouble("cascade.estimated_precision_interval.low"), view.getDouble("cascade.estimated_precision_interval.high"));
        }
        assertThat(read.getDouble("cascade.head_share")).as("ikea's 17 categories get a supervised head").isBetween(0.0, 1.0);
        JsonPath stricterView = given().get("/api/v1/taxonomies/" + NAME + "?precision=0.97").then().statusCode(200)
                .extract().jsonPath();
        assertThat(stricterView.getDouble("cascade.precision")).isEqualTo(0.97);
        assertThat(stricterView.getDouble("cascade.settled_share")).as(stricterView.prettify())
                .isLessThan(read.getDouble("cascade.settled_share"));
        double threshold = read.getDouble("cascade.threshold");
        System.out.println("CascadeApiTest: three quarters of ikea-dev's series as examples, cascade " + read.getMap("cascade"));

        List<Map<String, String>> items = NEW_SERIES.subList(0, 40).stream()
                .map(i -> Map.of("id", i.id(), "name", i.name(), "description", i.description())).toList();
        JsonPath asTaxonomySays = classify(items, null);
        int settled = asTaxonomySays.getInt("summary.settled_locally");
        assertThat(settled).as(asTaxonomySays.prettify()).isBetween(1, 39);
        assertThat(fake.calls()).as("the rest went to the model").hasSize(40 - settled);
        assertThat(asTaxonomySays.getList("results.findAll { it.model == 'local-minilm-l6-v2-q' }.confidence", Float.class))
                .hasSize(settled).allSatisfy(c -> assertThat(c.doubleValue()).isGreaterThanOrEqualTo(threshold - 1e-4));

        // what the summary says of them: their calibrated precision, and the calls they did not need
        Map<String, List<String>> truth = new java.util.HashMap<>();
        NEW_SERIES.subList(0, 40).forEach(i -> truth.put(i.id(), i.categories()));
        long right = asTaxonomySays.getList("results", Map.class).stream()
                .filter(r -> "local-minilm-l6-v2-q".equals(r.get("model")))
                .filter(r -> truth.get((String) r.get("id")).contains((String) r.get("category"))).count();
        System.out.println("CascadeApiTest: 40 items of unseen series at the taxonomy's 0.9, summary cascade "
                + asTaxonomySays.getMap("summary.cascade") + "; right in fact: " + right + " of " + settled);
        assertThat(asTaxonomySays.getInt("summary.cascade.settled_locally")).isEqualTo(settled);
        assertThat(asTaxonomySays.getDouble("summary.cascade.estimated_precision")).isBetween(0.8, 1.0);
        assertThat(asTaxonomySays.getLong("summary.cascade.tokens_saved")).as("at least the answers' 60 tokens each")
                .isGreaterThanOrEqualTo(60L * settled);
        assertThat(asTaxonomySays.getDouble("summary.cascade.cost_saved_usd")).isPositive();

        fake.reset();
        JsonPath stricter = classify(items, 0.99);
        int settledStrictly = stricter.getInt("summary.settled_locally");
        assertThat(settledStrictly).as(stricter.prettify()).isLessThan(settled);
        assertThat(fake.calls()).hasSize(40 - settledStrictly);
    }

    @Test
    void aCascadeJobReportsWhatItSettledLocallyAndWhatThatSaved() {
        dev.catalogclassifier.testsupport.Taxonomies.store(NAME + "-job", definition(Map.of("precision", 0.9, "group_by", "name")));
        List<Map<String, String>> items = NEW_SERIES.subList(40, 70).stream()
                .map(i -> Map.of("id", i.id(), "name", i.name(), "description", i.description())).toList();
        String location = given().contentType(ContentType.JSON)
                .body(Map.of("taxonomy", NAME + "-job", "classifier", "cascade", "items", items))
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(given().get(location).path("status")));
        JsonPath job = given().get(location).then().statusCode(200).extract().jsonPath();
        int settled = job.getInt("counts.settled_locally");
        assertThat(settled).as(job.prettify()).isBetween(1, 29);
        assertThat(job.getInt("cascade_report.settled_locally")).isEqualTo(settled);
        assertThat(job.getDouble("cascade_report.estimated_precision")).isBetween(0.8, 1.0);
        assertThat(job.getLong("cascade_report.tokens_saved")).isGreaterThanOrEqualTo(60L * settled);
        assertThat(job.getDouble("cascade_report.cost_saved_usd")).isPositive();
        assertThat(fake.calls()).hasSize(30 - settled);
    }

    @Test
    void aTaxonomyWithoutExamplesCannotBeCalibratedAndSaysSo() {
        given().contentType(ContentType.JSON).body(Map.of("categories", List.of("Beds", "Chairs")))
                .put("/api/v1/taxonomies/uncalibrated").then().statusCode(201)
                .body("cascade.calibrated", equalTo(false)).body("cascade.precision", equalTo(0.97f))
                .body("cascade.threshold", equalTo(0.9f));
    }

    @Test
    void aPrecisionOutsideZeroToOneOrAnUnknownGroupingIsA400NamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("categories", List.of("Beds", "Chairs"),
                        "cascade", Map.of("precision", 1.5, "group_by", "brand")))
                .put("/api/v1/taxonomies/bad-cascade").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("cascade.precision")).body("errors.field", hasItem("cascade.group_by"));
        for (String path : List.of("/api/v1/classifications", "/api/v1/jobs")) {
            given().contentType(ContentType.JSON).body(Map.of("classifier", "cascade", "cascade", Map.of("precision", 0),
                            "items", List.of(Map.of("id", "1", "name", "MALM bed"))))
                    .post(path).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("cascade.precision"));
        }
        for (String precision : List.of("1.5", "0", "high")) {
            given().get("/api/v1/taxonomies/" + NAME + "?precision=" + precision).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("precision"));
        }
        assertThat(fake.calls()).isEmpty();
    }

    private static JsonPath classify(List<Map<String, String>> items, Double precision) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("taxonomy", NAME, "classifier", "cascade", "items", items));
        if (precision != null) {
            body.put("cascade", Map.of("precision", precision));
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/classifications").then().statusCode(200)
                .extract().jsonPath();
    }
}
