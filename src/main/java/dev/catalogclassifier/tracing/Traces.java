package dev.catalogclassifier.tracing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The spans this service makes itself, beside the ones Quarkus makes (HTTP server, RabbitMQ send and receive):
 * one per item ({@value #ITEM}) from the moment a run takes it until its result goes to the caller, one per
 * provider attempt ({@value #PROVIDER_CALL}) beneath it, and the attempt's HTTP request beneath that. A job keeps
 * its submit's context as a W3C {@code traceparent} in its row, so items published minutes later, by another pod,
 * still join the submit's trace. With the SDK disabled (the default, {@code quarkus.otel.sdk.disabled}) every span is a no-op.
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

    /**
     * With the SDK disabled, Quarkus still hands out an SDK tracer: its spans are made, recorded and dropped, three
     * an item (a span, its attributes and their keys each time). A no-op tracer makes none.
     */
    public Traces(Tracer tracer, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        this.tracer = disabled ? TracerProvider.noop().get(Traces.class.getName()) : tracer;
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

    /**
     * The HTTP request of a provider attempt, a child of the current context (the attempt's span), named as
     * OpenTelemetry names an HTTP client span. End it with {@link #endHttpRequest}.
     */
    public Span startHttpRequest(URI uri) {
        return tracer.spanBuilder("POST " + uri.getPath()).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "POST")
                .setAttribute("server.address", uri.getHost())
                .setAttribute("url.path", uri.getPath())
                .startSpan();
    }

    /** Writes {@code span}'s context into a request's headers as a W3C {@code traceparent}. */
    public void inject(Span span, BiConsumer<String, String> header) {
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), header, BiConsumer::accept);
    }

    /** Ends a request's span with its status, or with the failure that left it without one. */
    public void endHttpRequest(Span span, int status, Throwable failure) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        } else {
            span.setAttribute("http.response.status_code", status);
            if (status >= 400) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
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
