package dev.catalogclassifier.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.Metrics;
import dev.catalogclassifier.testsupport.LogCapture;
import dev.catalogclassifier.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;

/** Durable jobs end to end, against the real PostgreSQL (embedded unless a URL is configured). */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class JobResourceTest {

    private static final java.util.function.Function<String, String> JSON_STRING = text -> {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    };

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @Inject
    JobMaintenance maintenance;

    @Inject
    JobsConfig jobsConfig;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @TestHTTPResource("/api/v1/jobs")
    URI jobs;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aJobRunsToCompletionAndItsResultsArePagedInItemOrder() {
        String location = submit(items(30, i -> i == 7 ? "ADDE chair [garbage]" : "MALM bed " + i));
        String id = location.substring(location.lastIndexOf('/') + 1);
        awaitStatus(id, "completed");

        given().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("total", equalTo(30)).body("counts.ok", equalTo(29)).body("counts.failed", equalTo(1))
                .body("counts.queued", equalTo(0)).body("progress", equalTo(1.0f))
                // the unusable item's two answers are billed too
                .body("cost_usd", equalTo((float) (31 * FakeOpenAi.CALL_COST_USD)));
        given().get("/api/v1/jobs/" + id + "/results?offset=10&limit=5").then().statusCode(200)
                .body("items.index", contains(10, 11, 12, 13, 14)).body("total", equalTo(30))
                .body("items.status", everyItem(equalTo("ok"))).body("items.category", everyItem(equalTo("Beds")));
        given().get("/api/v1/jobs/" + id + "/results?status=failed").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo("sku-7"))
                .body("items[0].error.code", equalTo("invalid_answer"));
        given().get("/api/v1/jobs?limit=5").then().statusCode(200).body("items.id", org.hamcrest.Matchers.hasItem(id));
    }

    @Test
    void moreItemsThanOneRequestMayHoldAreFine() {
        String id = idOf(submit(items(1500, i -> "KIVIK sofa " + i)));
        awaitStatus(id, "completed");
        given().get("/api/v1/jobs/" + id).then().body("counts.ok", equalTo(1500));
        assertThat(fake.calls()).hasSize(1500);
    }

    @Test
    void csvOpensCleanlyInExcel() {
        String body = "{\"items\": [{\"id\": \"sku,\\\"1\\\"\", \"name\": \"MALM bed\"}, {\"id\": \"b\", \"name\": \"ADDE chair [garbage]\"}]}";
        String id = idOf(given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(202)
                .extract().header("Location"));
        awaitStatus(id, "completed");

        byte[] csv = given().accept("text/csv").get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asByteArray();
        assertThat(csv).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(csv, StandardCharsets.UTF_8).substring(1);
        List<String> lines = List.of(text.split("\r\n"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("id,name,description,image_url,category,confidence,review,error,error_message,status");
        assertThat(lines.get(1)).startsWith("\"sku,\"\"1\"\"\",MALM bed,,,Beds,");
        assertThat(lines.get(2)).as("a failed item has no category to judge").startsWith("b,ADDE chair [garbage],,,,,,invalid_answer,");
    }

    @Test
    void aCsvCellACallerWroteAsAFormulaOpensAsText() {
        String formula = "=HYPERLINK(\"http://evil.example/\",\"click\")";
        String body = "{\"items\": [{\"id\": " + JSON_STRING.apply(formula) + ", \"name\": \"MALM bed\"}]}";
        String id = idOf(given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(202)
                .extract().header("Location"));
        awaitStatus(id, "completed");

        String text = given().accept("text/csv").get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .extract().asString();
        assertThat(text.split("\r\n")[1]).as(text)
                .startsWith("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\",MALM bed,");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = { "offset=abc", "limit=1e3", "limit=1000000000000",
            "limit=0", "offset=-1", "limit=1001" })
    void aBadPagingParameterIsA400NamingItForTheResultsAndTheList(String query) {
        String id = idOf(submit(items(1, i -> "MALM bed")));
        String parameter = query.substring(0, query.indexOf('='));
        for (String path : List.of("/api/v1/jobs/" + id + "/results?", "/api/v1/jobs?")) {
            given().get(path + query).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(parameter));
        }
    }

    /** A browser tab closed mid-job: the events the service still writes to it go nowhere, and that is no error. */
    @Test
    void clientsLeavingAStreamLogNoError() {
        String id = idOf(submit(items(4, i -> "MALM bed " + i + " [gate:leave]")));
        URI events = URI.create(jobs + "/" + id + "/events");
        try (LogCapture errors = LogCapture.errors()) {
            for (int i = 0; i < 5; i++) {
                SseClient client = SseClient.get(events, null);
                await().atMost(Duration.ofSeconds(60)).until(() -> client.status() == 200);
                client.disconnect();
            }
            // and a request's own stream, left while its model calls are held at the provider
            SseClient request = SseClient.post(URI.create(jobs.toString().replace("/jobs", "/classifications")),
                    "{\"items\": [{\"id\": \"a\", \"name\": \"MALM bed [gate:leave]\"}, {\"id\": \"b\", \"name\": \"ADDE chair\"}]}");
            await().atMost(Duration.ofSeconds(60)).until(() -> !request.events("item").isEmpty());
            request.disconnect();
            fake.open("leave");
            awaitStatus(id, "completed");
            // the streams' last writes land after the job completes: watch the log a little longer
            // what the console shows: quarkus.log.console.filter=client-gone
            var console = new dev.catalogclassifier.problem.ClientGoneFilter();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(errors.shown(console)).isEmpty());
        }
    }

    @Test
    void theEventsOfAnUnknownJobAreA404ProblemNotAStreamThatEnds() {
        String unknown = java.util.UUID.randomUUID().toString();
        given().accept("text/event-stream").get("/api/v1/jobs/" + unknown + "/events")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(unknown));
    }

    @Test
    void eventsResumeAfterLastEventIdWithNoGapAndNoRepeat() {
        String id = idOf(submit(items(10, i -> i < 5 ? "MALM bed " + i : "MALM bed " + i + " [gate:later]")));
        URI events = URI.create(jobs + "/" + id + "/events");

        SseClient first = SseClient.get(events, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.events("item").size() == 5);
        assertThat(first.foreignLines()).as("every line an SSE field").isEmpty();
        List<SseClient.Event> before = first.events("item");
        first.disconnect();
        String lastId = before.getLast().id();

        fake.open("later");
        SseClient second = SseClient.get(events, lastId);
        await().atMost(Duration.ofSeconds(60)).until(second::ended);

        List<SseClient.Event> after = second.events("item");
        Set<String> ids = new HashSet<>();
        before.forEach(e -> ids.add(e.data().get("id").asText()));
        after.forEach(e -> ids.add(e.data().get("id").asText()));
        assertThat(after).hasSize(5);
        assertThat(ids).as("every item exactly once across both connections").hasSize(10);
        assertThat(after).allSatisfy(e -> assertThat(e.seq()).isGreaterThan(Long.parseLong(lastId)));
        assertThat(second.events()).allSatisfy(e -> assertThat(e.id()).as("every event carries an id").isNotNull());
        assertThat(second.events().getLast().name()).isEqualTo("status");
        assertThat(second.events().getLast().data().get("status").asText()).isEqualTo("completed");
    }

    @Test
    void retryRunsOnlyTheFailedItemsAgainAndCountsTheAttempts() {
        String id = idOf(submit(items(6, i -> i == 2 ? "MALM bed [500:4]" : "MALM bed " + i)));
        awaitStatus(id, "completed");
        given().get("/api/v1/jobs/" + id).then().body("counts.failed", equalTo(1));
        int callsBefore = fake.calls().size();

        given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(200).body("retries", equalTo(1));
        awaitStatus(id, "completed");

        given().get("/api/v1/jobs/" + id).then().body("counts.ok", equalTo(6)).body("counts.failed", equalTo(0));
        given().get("/api/v1/jobs/" + id + "/results?offset=2&limit=1").then()
                .body("items[0].status", equalTo("ok")).body("items[0].attempts", equalTo(5));
        assertThat(fake.calls()).as("only the failed item was asked again").hasSize(callsBefore + 1);

        // nothing failed now: a retry is a conflict that says so, and counts nothing
        given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("nothing-to-retry"))
                .body("detail", containsString("no failed items"));
        given().get("/api/v1/jobs/" + id).then().body("retries", equalTo(1));
    }

    @Test
    void aJobIsRunningFromItsFirstItemTakenAndFailedWhenNoItemCouldBeClassified() {
        String running = idOf(submit(items(2, i -> "MALM bed " + i + " [gate:first]")));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 2);
        given().get("/api/v1/jobs/" + running).then().body("status", equalTo("running")).body("counts.ok", equalTo(0));
        fake.open("first");
        awaitStatus(running, "completed");

        String failed = idOf(submit(items(3, i -> "MALM bed " + i + " [garbage]")));
        awaitStatus(failed, "failed");
        given().get("/api/v1/jobs/" + failed).then().body("counts.failed", equalTo(3)).body("counts.ok", equalTo(0))
                .body("cost_usd", equalTo((float) (6 * FakeOpenAi.CALL_COST_USD)));
    }

    @Test
    void retryingARunningJobIsAConflict() {
        String id = idOf(submit(items(2, i -> "MALM bed [gate:busy]")));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 2);
        given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("once it has finished"));
        fake.open("busy");
        awaitStatus(id, "completed");
    }

    @Test
    void cancelMarksQueuedItemsCancelledAndMakesNoNewCalls() {
        String id = idOf(submit(items(40, i -> "MALM bed " + i + " [gate:stop]")));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 16);

        given().delete("/api/v1/jobs/" + id).then().statusCode(200).body("status", equalTo("cancelled"))
                .body("counts.cancelled", equalTo(40));
        fake.open("stop");

        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 0);
        assertThat(fake.calls()).as("only the calls already under way were made").hasSize(16);
        given().get("/api/v1/jobs/" + id + "/results?status=cancelled&limit=100").then().body("total", equalTo(40));
    }

    @Test
    void finishedJobsExpireWhileUnfinishedOnesStay() throws Throwable {
        String done = idOf(submit(items(2, i -> "MALM bed " + i)));
        awaitStatus(done, "completed");
        String busy = idOf(submit(items(1, i -> "MALM bed [gate:keep]")));

        long removed = VertxContextSupport.subscribeAndAwait(
                () -> maintenance.removeFinishedBefore(java.time.Instant.now().plusSeconds(1)));

        assertThat(removed).isGreaterThanOrEqualTo(1);
        given().get("/api/v1/jobs/" + done).then().statusCode(404);
        given().get("/api/v1/jobs/" + done + "/results").then().statusCode(404);
        given().get("/api/v1/jobs/" + busy).then().statusCode(200);
        fake.open("keep");
        awaitStatus(busy, "completed");
    }

    /**
     * A job three times the relay's window, whose first calls hang: no more of its items are out (in the pod's queue
     * or being worked) than the window, where an unbounded queue would hold them all at once. Once the calls answer,
     * every item has its result.
     */
    @Test
    void aLargeJobHasNoMoreItemsOutThanTheRelayWindow() {
        int items = 3 * jobsConfig.relayWindow();
        String id = idOf(submit(items(items, i -> "MALM bed " + i + " [gate:window]")));
        await().atMost(Duration.ofSeconds(30)).until(() -> fake.inProgress() > 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> published(id) == jobsConfig.relayWindow());
        assertThat(published(id)).as("items out while the calls hang").isEqualTo(jobsConfig.relayWindow());

        fake.open("window");
        await().atMost(Duration.ofMinutes(2)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        // calls held past the provider timeout (1.5 s in tests) on a busy machine may end failed; none is lost
        given().get("/api/v1/jobs/" + id + "/results?limit=1").then().body("total", equalTo(items));
        assertThat(published(id)).isZero();
    }

    /**
     * Until PostgreSQL has statistics of a large job's rows, it plans the workers' reads of a run's items as a scan of
     * every queued row of the job; the submit has {@code job_item} analysed before the items go out.
     */
    @Test
    void aLargeJobHasItsRowsAnalysedBeforeItsItemsRun() {
        long before = analyses();
        String id = idOf(submit(items(JobService.ANALYSE_FROM, i -> "MALM bed " + i)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(analyses())
                .as("ANALYZE runs on job_item, before: %d", before).isGreaterThan(before));
        awaitStatus(id, "completed");
    }

    /** Times {@code job_item} was analysed on request (autovacuum's own analyses are counted apart). */
    private long analyses() {
        return pool.query("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'job_item'").execute()
                .map(rows -> rows.iterator().next().getLong("analyze_count")).await().atMost(Duration.ofSeconds(30));
    }

    /** Queued items of the job that a message carries. */
    private long published(String id) {
        return pool.preparedQuery("SELECT count(*) AS n FROM job_item WHERE job_id = $1 AND published AND status = 'queued'")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(java.util.UUID.fromString(id)))
                .map(rows -> rows.iterator().next().getLong("n")).await().atMost(Duration.ofSeconds(30));
    }

    /**
     * The gauge counts every unfinished job's queued items in the database, which other test classes share (a
     * batch-api job of theirs may still be open): this job's 5 items must add 5 to it, and take 5 away once done.
     */
    @Test
    void theBacklogGaugeFollowsQueuedItems() {
        String id = idOf(submit(items(5, i -> "MALM bed " + i + " [gate:backlog]")));
        // a reading taken before the submit could be a second stale; on failure, say what the job and gauge were
        double held;
        try {
            held = await().atMost(Duration.ofSeconds(30))
                    .until(() -> metric("classifier_job_items_queued "), v -> v >= 5);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the job: " + given().get("/api/v1/jobs/" + id).asString()
                    + "; calls held: " + fake.inProgress(), e);
        }
        fake.open("backlog");
        awaitStatus(id, "completed");
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("classifier_job_items_queued "), v -> v <= held - 5);
        assertThat(metric("classifier_jobs{status=\"completed\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("classifier_request_cost_usd_count{kind=\"job\"")).isGreaterThanOrEqualTo(1);
    }

    private static double metric(String prefix) {
        return Metrics.value(prefix);
    }

    @Test
    void unknownJobsAreNotFoundAndBadParametersAreBadRequests() {
        given().get("/api/v1/jobs/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/v1/jobs/not-a-job/results").then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/v1/jobs/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"items\": []}").post("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("items"));
        given().contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"a\", \"name\": \"x\"}], \"execution\": \"carrier-pigeon\"}")
                .post("/api/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("execution"));
        given().get("/api/v1/jobs?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        assertThat(fake.calls()).isEmpty();
    }

    private static String submit(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(202).header("Location", containsString("/api/v1/jobs/"))
                .body("status", equalTo("queued")).extract().header("Location");
    }

    private static String idOf(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                status.equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
    }

    private static String items(int count, java.util.function.IntFunction<String> name) {
        return "{\"taxonomy\": [\"Beds\", \"Chairs\", \"Sofas & armchairs\"], \"items\": [" + IntStream.range(0, count)
                .mapToObj(i -> "{\"id\": \"sku-" + i + "\", \"name\": \"" + name.apply(i) + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }
}
