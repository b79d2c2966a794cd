package dev.catalogclassifier.classify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Server-sent events whose data is JSON, for every stream of the service. The data is written here, with the
 * service's ObjectMapper, and the event carries no media type: Quarkus REST would write a set media type into each
 * event as a {@code content-type:} field, which is not an SSE field and which browsers ignore.
 */
@ApplicationScoped
public class SseEvents {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;

    public SseEvents(ObjectMapper json) {
        this.json = json;
    }

    /** An event named {@code name} with {@code data} as JSON; {@code id} may be null. */
    public OutboundSseEvent of(Sse sse, String name, String id, Object data) {
        var builder = sse.newEventBuilder().name(name).data(String.class, write(data));
        return id == null ? builder.build() : builder.id(id).build();
    }

    /** An event named {@code name} whose data is {@code data} as JSON. */
    public record Event(String name, Object data) {
    }

    /**
     * Events in the wire format, for an {@link EventStream}: {@code event:} and one {@code data:} line each (the JSON
     * writer escapes line breaks, so the data is always one line). The JSON goes straight into the frame's bytes.
     */
    public byte[] frames(Event... events) {
        var out = new ByteArrayOutputStream(512);
        try {
            for (Event event : events) {
                out.write(EVENT);
                out.write(event.name().getBytes(StandardCharsets.UTF_8));
                out.write(DATA);
                json.writeValue(out, event.data()); // closing a ByteArrayOutputStream does nothing: it stays open
                out.write(END);
            }
        } catch (IOException e) {
            throw new IllegalStateException("an event's data could not be written as JSON", e); // our own records
        }
        return out.toByteArray();
    }

    private String write(Object data) {
        try {
            return data instanceof String text ? text : json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event's data could not be written as JSON", e); // our own records
        }
    }
}
