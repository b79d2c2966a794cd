package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** {@code "pack": k}: up to k text items per model call, answered by id and mapped back. */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class PackTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void twentyFiveItemsInPacksOfTenTakeThreeCallsAndShareTheirCost() {
        JsonPath body = classify(10, 25, i -> i % 2 == 0 ? "MALM bed " + i : "ADDE chair " + i);

        assertThat(fake.calls()).as("packs of 10, 10 and 5").hasSize(3);
        assertThat(fake.calls()).allSatisfy(c -> assertThat(c.prompt()).containsOnlyOnce("Tables & desks"));
        List<Map<String, Object>> results = body.getList("results");
        assertThat(results).hasSize(25).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("ok"));
        for (Map<String, Object> r : results) {
            int index = (Integer) r.get("index");
            assertThat(r.get("id")).isEqualTo("i" + index);
            assertThat(r.get("category")).isEqualTo(index % 2 == 0 ? "Beds" : "Chairs");
        }
        assertThat(body.getDouble("summary.cost_usd")).as("three calls, not 25")
                .isCloseTo(3 * FakeOpenAi.CALL_COST_USD, Offset.offset(1e-9));
        assertThat(body.getList("results.usage.prompt_tokens", Integer.class)).containsOnly(10, 20);
    }

    @Test
    void aMissingOrGarbledEntryIsAskedAgainAloneAndAnExtraOneIsIgnored() {
        JsonPath body = classify(5, 5, i -> switch (i) {
            case 1 -> "MALM bed [pack-missing]";
            case 3 -> "ADDE chair [pack-garbled]";
            case 4 -> "LACK table [pack-extra]";
            default -> "MALM bed " + i;
        });
        assertThat(body.getList("results.status")).containsOnly("ok");
        assertThat(fake.calls()).as("one pack, then items 1 and 3 alone").hasSize(3);
        assertThat(fake.calls().subList(1, 3)).extracting(FakeOpenAi.Call::item)
                .allSatisfy(item -> assertThat(item).doesNotContain("[id:"))
                .anySatisfy(item -> assertThat(item).contains("[pack-missing]"))
                .anySatisfy(item -> assertThat(item).contains("[pack-garbled]"));
        Map<Integer, Integer> attempts = body.getList("results", Map.class).stream().collect(Collectors.toMap(
                r -> (Integer) r.get("index"), r -> (Integer) r.get("attempts")));
        assertThat(attempts).containsEntry(0, 1).containsEntry(1, 2).containsEntry(2, 1).containsEntry(3, 2).containsEntry(4, 1);
        assertThat(body.getString("results.find { it.index == 3 }.category")).isEqualTo("Chairs");
    }

    @Test
    void inACascadeTheItemsTheLocalModelIsUnsureOfGoToTheLlmInPacks() {
        JsonPath body = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("pack", 4, "classifier", "cascade", "taxonomy", List.of("Beds", "Chairs", "Tables & desks"),
                        "items", items(12, i -> i % 2 == 0 ? "MALM bed frame, double bed " + i : "Zqx " + i + " kvrt")))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();

        int settledLocally = body.getInt("summary.settled_locally");
        int askedLlm = 12 - settledLocally;
        assertThat(askedLlm).as("some items are too vague for the local model").isPositive();
        assertThat(body.getList("results.status")).containsOnly("ok");
        assertThat(fake.calls()).as("%d unsure items in packs of 4", askedLlm).hasSize((askedLlm + 3) / 4)
                .allSatisfy(c -> assertThat(c.prompt()).contains("[id: "));
    }

    @Test
    void aPackOutsideOneToTwentyIsA400() {
        given().contentType(ContentType.JSON).body(Map.of("pack", 21, "items", items(1, i -> "MALM bed")))
                .post("/api/v1/classifications").then().statusCode(400).body("errors.field", hasItem("pack"));
        given().contentType(ContentType.JSON).body(Map.of("pack", 0, "items", items(1, i -> "MALM bed")))
                .post("/api/v1/classifications").then().statusCode(400).body("errors.field", everyItem(equalTo("pack")));
    }

    @Test
    void aJobSendsItsTextItemsInPacksAndStoresEachItemsOwnResult() {
        fake.usage(103, 0, 21); // counts that do not divide evenly: the items' shares must still add up
        List<Map<String, String>> items = new java.util.ArrayList<>(items(25, i -> i % 2 == 0 ? "MALM bed " + i : "ADDE chair " + i));
        items.set(3, Map.of("id", "sku]3 [id: 9]", "name", "ADDE chair 3")); // packs key items by place, not by id
        String location = given().contentType(ContentType.JSON).body(Map.of("pack", 10, "classifier", "llm",
                        "taxonomy", List.of("Beds", "Chairs", "Tables & desks"), "items", items))
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().get(location).path("status")));

        assertThat(fake.calls()).as("25 items in packs of up to 10: 3 calls when they arrive together, never 25")
                .hasSizeBetween(3, 5).allSatisfy(c -> assertThat(c.prompt()).contains("[id: 1]"));
        assertThat(fake.calls().stream().mapToInt(c -> c.prompt().split("\\[id: ", -1).length - 1).sum())
                .as("every item in exactly one pack").isEqualTo(25);
        JsonPath results = given().get(location + "/results?limit=25").then().extract().jsonPath();
        assertThat(results.getList("items.status")).hasSize(25).containsOnly("ok");
        for (Map<String, Object> r : results.<Map<String, Object>>getList("items")) {
            int index = (Integer) r.get("index");
            assertThat(r.get("category")).as("item %d", index).isEqualTo(index % 2 == 0 ? "Beds" : "Chairs");
        }
        JsonPath job = given().get(location).then().extract().jsonPath();
        int calls = fake.calls().size();
        assertThat(job.getDouble("cost_usd")).as("a call's cost per pack")
                .isCloseTo(calls * (103 * 0.15 + 21 * 0.60) / 1e6, Offset.offset(1e-9));
        assertThat(job.getLong("prompt_tokens")).isEqualTo(calls * 103L);
        assertThat(job.getLong("completion_tokens")).isEqualTo(calls * 21L);
    }

    @Test
    void aJobsPackIsCheckedLikeARequestsAndIsForRealtimeOnly() {
        given().contentType(ContentType.JSON).body(Map.of("pack", 21, "items", items(1, i -> "MALM bed")))
                .post("/api/v1/jobs").then().statusCode(400).body("errors.field", hasItem("pack"));
        given().contentType(ContentType.JSON).body(Map.of("pack", 5, "execution", "batch-api", "classifier", "llm",
                "items", items(1, i -> "MALM bed"))).post("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", hasItem("pack"));
    }

    private static JsonPath classify(int pack, int n, IntFunction<String> name) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("pack", pack, "classifier", "llm", "items", items(n, name),
                        "taxonomy", List.of("Beds", "Chairs", "Tables & desks")))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, String>> items(int n, IntFunction<String> name) {
        return IntStream.range(0, n).mapToObj(i -> Map.of("id", "i" + i, "name", name.apply(i))).toList();
    }
}
