package dev.catalogclassifier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What a large named taxonomy costs: the PUT of {@code examples} distinct examples (each embedded once and stored
 * with its vector), then a 1,000-item request classified against them on the local classifier. Examples are the
 * benchmark data's rows, made distinct with a variant number as catalogues' colour variants are.
 * Invoked by {@code bench/taxonomy.sh}.
 */
public final class TaxonomyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TaxonomyBenchmark() {
    }

    /** {@code <examples> <data.csv>}. */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        List<List<String>> rows = dev.catalogclassifier.testsupport.BenchData.records(Path.of(args[1])).stream().skip(1).toList();
        ObjectNode taxonomy = (ObjectNode) JSON.readTree(Path.of("bench", "ikea-taxonomy.json").toFile());
        ArrayNode examples = taxonomy.putArray("examples");
        for (int i = 0; i < count; i++) {
            List<String> row = rows.get(i % rows.size());
            examples.addObject().put("name", row.get(1)).put("description", row.get(2) + ", variant " + (i / rows.size()))
                    .put("category", row.get(3).split("\\|")[0]);
        }
        ObjectNode request = JSON.createObjectNode().put("taxonomy", "bench").put("classifier", "local");
        ArrayNode items = request.putArray("items");
        for (int i = 0; i < 1000; i++) {
            List<String> row = rows.get(i);
            items.addObject().put("id", "i" + i).put("name", row.get(1)).put("description", row.get(2));
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> env = ServiceProcess.env(postgres);
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "taxonomy.log"))) {
                service.awaitOk("/api/v1/jobs");
                Stored stored = store(service.base(), "bench", taxonomy.toString());
                double put = stored.readySeconds();
                send(service.base(), "POST", "/api/v1/classifications", request.toString(), 200); // loads the taxonomy
                long start = System.nanoTime();
                send(service.base(), "POST", "/api/v1/classifications", request.toString(), 200);
                double classify = (System.nanoTime() - start) / 1e9;
                System.out.println(String.format(Locale.ROOT, "| %d | %.2f s | %.1f s | %.0f | %.2f s | %.0f | %d |", count,
                        stored.answerSeconds(), put, count / put, classify, 1000 / classify, service.peakRssKb() / 1024));
            }
        }
    }

    /** How long a PUT took to answer, and until GET said the taxonomy was ready. */
    record Stored(double answerSeconds, double readySeconds) {
    }

    /**
     * PUTs a taxonomy and waits for it to be ready: at once when the PUT answered 201 (embedded while it waited), else
     * (202, prepared in the background) when GET says {@code ready}, polled every 50 ms.
     */
    static Stored store(URI base, String name, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/taxonomies/" + name))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        double answered = (System.nanoTime() - start) / 1e9;
        if (put.statusCode() != 201 && put.statusCode() != 202) {
            throw new IllegalStateException("PUT " + name + " answered " + put.statusCode() + ": " + put.body());
        }
        if (put.statusCode() == 202) { // polled every 50 ms, as a client would
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(10)).pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> {
                        String status = JSON.readTree(send(base, "GET", "/api/v1/taxonomies/" + name, "", 200)).path("status").asText();
                        if (!"ready".equals(status) && !"preparing".equals(status)) {
                            throw new IllegalStateException("taxonomy " + name + " is " + status);
                        }
                        return "ready".equals(status);
                    });
        }
        return new Stored(answered, (System.nanoTime() - start) / 1e9);
    }

    /** Sends {@code body}; fails with the answer's start unless the status is {@code expected}. Returns the body. */
    static String send(URI base, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return response.body();
    }
}
