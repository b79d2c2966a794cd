package dev.catalogclassifier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends {@code items} items as concurrent SSE requests of at most {@code perRequest} items each (the API's
 * per-request limit is 1,000) and collects what a streaming client sees.
 */
final class Load {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the client saw. {@code latenciesMs} are the items' own {@code latency_ms}. */
    record Result(int items, Duration wall, Duration firstEvent, List<Long> latenciesMs,
            Map<String, Integer> statuses, int distinctIds) {
    }

    private Load() {
    }

    static Result run(URI base, int items, int perRequest, String taxonomy, String[] products) throws Exception {
        return run(base, items, perRequest, taxonomy, products, 1);
    }

    /** {@code pack}: text items per model call the requests ask for; 1 asks nothing (each item alone). */
    static Result run(URI base, int items, int perRequest, String taxonomy, String[] products, int pack)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Collected seen = new Collected();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> requests = new ArrayList<>();
            for (int from = 0; from < items; from += perRequest) {
                String body = body(from, Math.min(items, from + perRequest), taxonomy, products, pack);
                requests.add(clients.submit(() -> stream(http, base, body, seen, start)));
            }
            for (Future<?> request : requests) {
                request.get();
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        return new Result(items, wall, Duration.ofNanos(seen.firstEventNanos.get() - start),
                List.copyOf(seen.latencies), Map.copyOf(seen.statuses), seen.ids.size());
    }

    private static Void stream(HttpClient http, URI base, String body, Collected seen, long start) throws Exception {
        items(http, base, body, seen::item);
        return null;
    }

    /** Posts one streaming request and hands each {@code item} event's data, with when it came, to {@code seen}. */
    static void items(HttpClient http, URI base, String body, java.util.function.ObjLongConsumer<String> seen)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/classifications"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        String[] event = {""};
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                if (line.startsWith("event:")) {
                    event[0] = line.substring(6).strip();
                } else if (line.startsWith("data:") && event[0].equals("item")) {
                    seen.accept(line.substring(5), System.nanoTime());
                }
            });
        }
    }

    private static String body(int from, int to, String taxonomy, String[] products, int pack) {
        StringBuilder items = new StringBuilder();
        for (int i = from; i < to; i++) {
            items.append(i == from ? "" : ",").append("{\"id\":\"sku-").append(i).append("\",\"name\":\"Item ")
                    .append(i).append("\",\"description\":\"").append(products[i % products.length]).append("\"}");
        }
        return "{\"taxonomy\":" + taxonomy + (pack > 1 ? ",\"pack\":" + pack : "") + ",\"items\":[" + items + "]}";
    }

    /** Shared by the concurrent streams. */
    private static final class Collected {
        final AtomicLong firstEventNanos = new AtomicLong(Long.MAX_VALUE);
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final Map<String, Integer> statuses = new ConcurrentHashMap<>();
        final Set<String> ids = ConcurrentHashMap.newKeySet();

        void item(String data, long now) {
            firstEventNanos.accumulateAndGet(now, Math::min);
            try {
                JsonNode item = JSON.readTree(data);
                latencies.add(item.path("latency_ms").asLong());
                statuses.merge(item.path("status").asText(), 1, Integer::sum);
                ids.add(item.path("id").asText());
            } catch (Exception e) {
                statuses.merge("unparseable_event", 1, Integer::sum);
            }
        }
    }
}
