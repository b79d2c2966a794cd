package dev.catalogclassifier.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a server-sent event stream the way a browser does, on a thread of its own, collecting events as they
 * arrive so tests can await them one by one. {@link #disconnect()} drops the connection like a closed tab.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> foreign = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One event: its name, its {@code id:} (null when it had none) and its parsed JSON data. */
    public record Event(String name, String id, JsonNode data) {
        public long seq() {
            return Long.parseLong(id);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile boolean ended;

    public static SseClient post(URI uri, String body) {
        return post(uri, body, java.util.Map.of());
    }

    /** A POST with {@code headers} besides the SSE ones (a caller's API key). */
    public static SseClient post(URI uri, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        SseClient client = new SseClient();
        client.start(request.build());
        return client;
    }

    /** Follows a GET stream, resuming after {@code lastEventId} when it is not null, as EventSource does. */
    public static SseClient get(URI uri, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        SseClient client = new SseClient();
        client.start(request.build());
        return client;
    }

    private void start(HttpRequest request) {
        Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                read(response.body());
            } catch (IOException e) {
                // the connection was dropped, by disconnect() or the server
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended = true;
            }
        });
    }

    private void read(InputStream body) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, id, JSON.readTree(data.toString())));
                    }
                    name = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (!line.startsWith(":") && !line.startsWith("retry:")) {
                    foreign.add(line); // not an SSE field: a browser's EventSource ignores it
                }
            }
        }
    }

    /** Lines that are no SSE field ({@code event}, {@code data}, {@code id}, {@code retry}, or a comment). */
    public List<String> foreignLines() {
        return List.copyOf(foreign);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    public int status() {
        return status;
    }

    public boolean ended() {
        return ended;
    }

    public void disconnect() {
        http.shutdownNow();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

}
