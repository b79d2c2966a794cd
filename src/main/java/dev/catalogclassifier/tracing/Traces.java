package dev.catalogclassifier.tracing;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The spans this service makes itself, beside the ones Quarkus makes (HTTP server, RabbitMQ send and receive):
 * one per item ({@value #ITEM}) from the moment a run takes it until its result goes to the caller, and one per
 * provider attempt ({@value #PROVIDER_CALL}) beneath it. A job keeps its submit's context as a W3C
 * {@code traceparent} in its row, so items published minutes later, by another pod, still join the submit's trace.
 * With the SDK disabled (the default, {@code quarkus.otel.sdk.disabled}) every span is a no-op.
 */
@ApplicationScoped
public class Traces {

    public static final String ITEM = "classify item";
    public static final String PROVIDER_CALL = "provider call";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public Traces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** An item's span, a child of {@code parent}; end it with the item's result. */
    public Span startItem(Context parent, int index, String itemId, String route) {
        return tracer.spanBuilder(ITEM).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("classifier.item.index", index)
                .setAttribute("classifier.item.id", itemId == null ? "" : itemId)
                .setAttribute("classifier.route", route)
                .startSpan();
    }

    /** One attempt at the provider, a child of the current context (the item's span). */
    public Span startProviderCall(String provider, String keyAlias, String model) {
        return tracer.spanBuilder(PROVIDER_CALL).setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.system", provider)
                .setAttribute("gen_ai.request.model", model)
                .setAttribute("classifier.key", keyAlias)
                .startSpan();
    }

    /** The current context as a W3C {@code traceparent} header, or null when there is no sampled span. */
    public static String traceParent() {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get("traceparent");
    }

    /** The context a stored {@code traceparent} names; the root context for null or an unreadable one. */
    public static Context fromTraceParent(String traceParent) {
        return traceParent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceParent), MAP);
    }
}
