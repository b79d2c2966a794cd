package dev.catalogclassifier.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

/**
 * Tracing off (the service's default) makes no spans, even though Quarkus hands out an SDK tracer then; on, the
 * spans are the SDK's ({@link TracingTest} follows them end to end).
 */
class TracesTest {

    private final Tracer sdk = SdkTracerProvider.builder().build().get("test");

    @Test
    void withTheSdkDisabledNoSpanIsRecorded() {
        Span span = new Traces(sdk, true).startItem(Context.root(), 0, "item-1", "llm");

        assertThat(span.isRecording()).as("an item's span with tracing off").isFalse();
        assertThat(span.getSpanContext().isValid()).as("its context").isFalse();
    }

    @Test
    void withTheSdkOnSpansAreRecorded() {
        Span span = new Traces(sdk, false).startItem(Context.root(), 0, "item-1", "llm");

        assertThat(span.isRecording()).as("an item's span with tracing on").isTrue();
        span.end();
    }
}
