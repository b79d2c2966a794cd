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
                long start = System.nanoTime();
                send(service.base(), "PUT", "/api/v1/taxonomies/bench", taxonomy.toString(), 201);
                double put = (System.nanoTime() - start) / 1e9;
                send(service.base(), "POST", "/api/v1/classifications", request.toString(), 200); // loads the taxonomy
                start = System.nanoTime();
                send(service.base(), "POST", "/api/v1/classifications", request.toString(), 200);
                double classify = (System.nanoTime() - start) / 1e9;
                System.out.println(String.format(Locale.ROOT, "| %d | %.1f s | %.0f | %.2f s | %.0f | %d |", count, put,
                        count / put, classify, 1000 / classify, service.peakRssKb() / 1024));
            }
        }
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
