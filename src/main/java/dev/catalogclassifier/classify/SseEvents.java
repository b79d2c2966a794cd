package dev.catalogclassifier.classify;

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

    private final ObjectMapper json;

    public SseEvents(ObjectMapper json) {
        this.json = json;
    }

    /** An event named {@code name} with {@code data} as JSON; {@code id} may be null. */
    public OutboundSseEvent of(Sse sse, String name, String id, Object data) {
        var builder = sse.newEventBuilder().name(name).data(String.class, write(data));
        return id == null ? builder.build() : builder.id(id).build();
    }

    private String write(Object data) {
        try {
            return data instanceof String text ? text : json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event's data could not be written as JSON", e); // our own records
        }
    }
}
