package dev.catalogclassifier.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.MachineBroker;
import dev.catalogclassifier.testsupport.RecordedSpans;
import dev.catalogclassifier.tracing.Traces;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The job-items channel on the real RabbitMQ at 127.0.0.1:5672 (the rabbitmq profile). Skipped, saying why,
 * on a machine without a broker, unless {@code CLASSIFIER_REQUIRE_RABBITMQ=true} (CI sets it) makes it run
 * and fail instead.
 */
@QuarkusTest
@TestProfile(RabbitMqJobTest.RabbitMq.class)
@WithTestResource(FakeOpenAiResource.class)
@EnabledIf(value = "brokerReachableOrRequired", disabledReason = "no RabbitMQ on 127.0.0.1:5672 (start it with "
        + "rabbitmq-server -detached); CI sets CLASSIFIER_REQUIRE_RABBITMQ=true so it can never be skipped there")
class RabbitMqJobTest {

    /**
     * This run's own exchange and queue: another build on the machine uses the same broker. Named by the process,
     * since the test profile and the test see this class through different class loaders.
     */
    static final String QUEUE = "catalog-classifier.job-items.test-" + ProcessHandle.current().pid();
    static final String EXCHANGE = QUEUE;

    public static class RabbitMq implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,rabbitmq";
        }

        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("classifier.jobs.queue", QUEUE);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void removeQueue() throws Exception {
        MachineBroker.deleteQueue(QUEUE);
    }


    @jakarta.inject.Inject
    RecordedSpans recorded;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aJobsItemsTravelThroughTheBrokerAndComplete() throws Exception {
        String id = submit(20, "ok");
        awaitCompleted(id);
        given().get("/api/v1/jobs/" + id).then().body("counts.ok", equalTo(20));
        try (Connection connection = MachineBroker.connect(); Channel channel = connection.createChannel()) {
            assertThat(channel.queueDeclarePassive(QUEUE).getMessageCount()).as("nothing left on the queue").isZero();
        }
    }

    @Test
    void aMessageDeliveredTwiceIsStoredOnce() throws Exception {
        String id = submit(1, "gate:dup");
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 1);

        try (Connection connection = MachineBroker.connect(); Channel channel = connection.createChannel()) {
            String copy = "{\"job_id\":\"" + id + "\",\"index\":0,\"item\":{\"id\":\"sku-0\",\"name\":\"MALM bed 0 [gate:dup]\"}}";
            channel.basicPublish(EXCHANGE, "job-items", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").build(), copy.getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 2);
        fake.open("dup");

        awaitCompleted(id);
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 0);
        given().get("/api/v1/jobs/" + id).then().body("counts.ok", equalTo(1)).body("last_event_id", equalTo(1))
                // both answers were paid for, and the job says so
                .body("cost_usd", equalTo((float) (2 * FakeOpenAi.CALL_COST_USD)));
        given().get("/api/v1/jobs/" + id + "/results").then().body("total", equalTo(1));
    }

    @Test
    void anItemsSpanReachesTheSubmitsTraceThroughTheBrokersHeaders() {
        String traceId = java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(System.nanoTime()).putLong(ProcessHandle.current().pid()).array());
        String callerSpan = "00f067aa0ba902b7";
        String location = given().header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"t\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        awaitCompleted(location.substring(location.lastIndexOf('/') + 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.ofTrace(traceId).stream()
                .anyMatch(s -> s.getName().equals(Traces.ITEM)));

        List<SpanData> spans = recorded.ofTrace(traceId);
        java.util.function.Function<String, SpanData> byId = id -> spans.stream()
                .filter(s -> s.getSpanId().equals(id)).findFirst().orElse(null);
        SpanData item = spans.stream().filter(s -> s.getName().equals(Traces.ITEM)).findFirst().orElseThrow();
        SpanData received = byId.apply(item.getParentSpanId());
        SpanData sent = received == null ? null : byId.apply(received.getParentSpanId());
        SpanData submit = sent == null ? null : byId.apply(sent.getParentSpanId());
        String seen = spans.stream().map(s -> s.getKind() + " '" + s.getName() + "' " + s.getSpanId() + "<-" + s.getParentSpanId()).toList().toString();
        assertThat(received).as("the item's parent, the broker's receive; spans: %s", seen).isNotNull()
                .extracting(SpanData::getKind).isEqualTo(SpanKind.CONSUMER);
        assertThat(sent).as("the receive's parent, the relay's send, from the message headers; spans: %s", seen).isNotNull()
                .extracting(SpanData::getKind).isEqualTo(SpanKind.PRODUCER);
        assertThat(submit).as("the send's parent, the submit request; spans: %s", seen).isNotNull()
                .extracting(SpanData::getParentSpanId).isEqualTo(callerSpan);
    }

    static boolean brokerReachableOrRequired() {
        return MachineBroker.reachableOrRequired();
    }

    private static String submit(int count, String marker) {
        String body = "{\"items\": [" + IntStream.range(0, count)
                .mapToObj(i -> "{\"id\": \"sku-" + i + "\", \"name\": \"MALM bed " + i + " [" + marker + "]\"}")
                .collect(Collectors.joining(",")) + "]}";
        String location = given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(202).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void awaitCompleted(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
    }
}
