package dev.catalogclassifier.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.RecordedSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * One item's spans link up from the caller's trace to the provider call and back: the caller sends a W3C
 * {@code traceparent}, as a catalogue service with tracing does, and the test reads that trace's spans from the
 * in-memory exporter.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class TracingTest {

    @Inject
    RecordedSpans recorded;

    /** A caller's trace: its id, and the id of the caller's span the service's spans hang under. */
    record CallerSpan(String traceId, String spanId) {
        static CallerSpan random() {
            HexFormat hex = HexFormat.of();
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            ThreadLocalRandom.current().nextBytes(trace);
            ThreadLocalRandom.current().nextBytes(span);
            return new CallerSpan(hex.formatHex(trace), hex.formatHex(span));
        }

        String header() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    @Test
    void aRequestsItemSpanSitsUnderItsHttpSpanAndAboveItsProviderCall() {
        CallerSpan caller = CallerSpan.random();
        given().header("traceparent", caller.header()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [{\"id\": \"bed\", \"name\": \"MALM bed frame\"}]}")
                .post("/api/v1/classifications")
                .then().statusCode(200).body("results[0].category", equalTo("Beds"));

        List<SpanData> spans = awaitSpans(caller, s -> s.getName().equals(Traces.PROVIDER_CALL));
        SpanData server = only(spans, s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(caller.spanId()), spans);
        SpanData item = only(spans, s -> s.getName().equals(Traces.ITEM), spans);
        SpanData call = only(spans, s -> s.getName().equals(Traces.PROVIDER_CALL), spans);

        assertThat(item.getParentSpanId()).as("item under the request's server span; spans: %s", names(spans))
                .isEqualTo(server.getSpanId());
        // beneath the call, the REST client's request
        assertThat(ancestors(call, spans)).as("provider call under the item; spans: %s", names(spans))
                .contains(item.getSpanId());
        assertThat(spans).as("the HTTP request to the provider under the call; spans: %s", names(spans))
                .anyMatch(s -> s.getKind() == SpanKind.CLIENT && s.getName().contains("/chat/completions")
                        && s.getParentSpanId().equals(call.getSpanId()));
        assertThat(item.getAttributes().asMap()).as("item span attributes")
                .containsEntry(io.opentelemetry.api.common.AttributeKey.stringKey("classifier.item.id"), "bed")
                .containsEntry(io.opentelemetry.api.common.AttributeKey.stringKey("classifier.item.status"), "ok");
        assertThat(call.getAttributes().asMap().toString()).as("provider call attributes")
                .contains("gen_ai.request.model=gpt-4o-mini").contains("gen_ai.usage.input_tokens=100");
        assertThat(item.getEndEpochNanos()).as("the item ends after its call has answered")
                .isGreaterThanOrEqualTo(call.getEndEpochNanos());
    }

    @Test
    void aJobsItemSpansJoinTheSubmitsTraceThroughTheRelay() {
        CallerSpan caller = CallerSpan.random();
        String location = given().header("traceparent", caller.header()).contentType(ContentType.JSON)
                .body("{\"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"},"
                        + " {\"id\": \"b\", \"name\": \"NISSE folding chair\"}]}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        String job = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + job).then().extract().path("status")));

        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.ofTrace(caller.traceId()).stream()
                .filter(s -> s.getName().equals(Traces.PROVIDER_CALL)).count() == 2);
        List<SpanData> spans = recorded.ofTrace(caller.traceId());
        SpanData submit = only(spans, s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(caller.spanId()), spans);
        List<SpanData> items = spans.stream().filter(s -> s.getName().equals(Traces.ITEM)).toList();
        assertThat(items).as("one span per item; spans: %s", names(spans)).hasSize(2);
        for (SpanData item : items) {
            assertThat(item.getParentSpanId()).as("item under the submit; spans: %s", names(spans))
                    .isEqualTo(submit.getSpanId());
            assertThat(spans).as("a provider call under item %s; spans: %s", item.getAttributes(), names(spans))
                    .anyMatch(s -> s.getName().equals(Traces.PROVIDER_CALL) && ancestors(s, spans).contains(item.getSpanId()));
        }
    }

    /** Waits until the trace has a span that {@code wanted} accepts; the exporter sends spans in batches. */
    private List<SpanData> awaitSpans(CallerSpan caller, Predicate<SpanData> wanted) {
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.ofTrace(caller.traceId()).stream().anyMatch(wanted));
        return recorded.ofTrace(caller.traceId());
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> which, List<SpanData> all) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).as("exactly one such span among %s", names(all)).hasSize(1);
        return found.getFirst();
    }

    /** The ids of the span's parent, its parent's parent, and so on, as far as the trace's spans go. */
    private static List<String> ancestors(SpanData span, List<SpanData> spans) {
        List<String> ids = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        while (true) {
            String id = parent;
            ids.add(id);
            var next = spans.stream().filter(s -> s.getSpanId().equals(id)).findFirst();
            if (next.isEmpty() || ids.size() > spans.size()) {
                return ids;
            }
            parent = next.get().getParentSpanId();
        }
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(s -> s.getKind() + " '" + s.getName() + "' " + s.getSpanId() + "<-" + s.getParentSpanId()).toList();
    }
}
