package dev.catalogclassifier.classify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Server-sent events whose data is JSON, in the wire format, for every stream of the service ({@link EventStream}
 * writes them). The data is written here, with the service's ObjectMapper, straight into the frame's bytes; no
 * {@code content-type:} field goes with an event, as Quarkus REST's SSE writes one, which is not an SSE field and which
 * browsers ignore.
 */
@ApplicationScoped
public class SseEvents {

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;

    public SseEvents(ObjectMapper json) {
        this.json = json;
    }

    /**
     * An event named {@code name} whose data is {@code data} as JSON; its {@code id}, when not null, is what a
     * client that reconnects sends back as {@code Last-Event-ID}.
     */
    public record Event(String name, String id, Object data) {

        /** An event without an id: a stream that cannot be resumed. */
        public Event(String name, Object data) {
            this(name, null, data);
        }
    }

    /**
     * Events in the wire format, for an {@link EventStream}: {@code event:} and one {@code data:} line each (the JSON
     * writer escapes line breaks, so the data is always one line). The JSON goes straight into the frame's bytes.
     */
    public byte[] frames(Event... events) {
        var out = new ByteArrayOutputStream(512);
        try {
            for (Event event : events) {
                if (event.id() != null) {
                    out.write(ID);
                    out.write(event.id().getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
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
}
