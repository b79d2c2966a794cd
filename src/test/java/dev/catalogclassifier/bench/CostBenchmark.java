package dev.catalogclassifier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Tokens and money per item on real catalogue items (the first {@code n} rows of {@code ikea-dev.csv}, the 17
 * IKEA categories with their descriptions): one request per pack size, then the same items as a realtime job, a
 * realtime job at pack 10, and a batch-api job. The fake provider counts tokens from the text (four characters a token, the whole JSON
 * of the messages for the prompt), so the numbers scale as a real provider's would; they are not OpenAI's exact
 * counts. Invoked by {@code bench/cost.sh}.
 */
public final class CostBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CostBenchmark() {
    }

    /** {@code <items> <pack sizes, comma-separated>}. */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        ArrayNode items = items(Path.of("bench", "data", "ikea-dev.csv"), n);
        JsonNode taxonomy = JSON.readTree(Path.of("bench", "ikea-taxonomy.json").toFile());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            fake.countTokens(true);
            Map<String, String> env = ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "bench-key", "CLASSIFIER_CACHE_ENABLED", "false",
                    "CLASSIFIER_BATCH_API_TICK", "1s", "CLASSIFIER_BATCH_API_FIRST_POLL_INTERVAL", "200ms",
                    "CLASSIFIER_BATCH_API_MAX_POLL_INTERVAL", "1s", "CLASSIFIER_REQUESTS_MAX_ITEMS", "1000");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "cost.log"))) {
                service.awaitOk("/api/v1/jobs");
                storeTaxonomy(service.base(), taxonomy);
                System.out.println("| pack | model calls | prompt tokens / item | completion tokens / item | cost / item (USD) | vs pack 1 |");
                double first = 0;
                for (String k : args[1].split(",")) {
                    int calls = fake.calls().size();
                    JsonNode summary = classify(service.base(), items, taxonomy, Integer.parseInt(k)).path("summary");
                    double perItem = summary.path("cost_usd").asDouble() / n;
                    first = first == 0 ? perItem : first;
                    System.out.println(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.8f | %.2f |", k,
                            fake.calls().size() - calls, summary.path("prompt_tokens").asDouble() / n,
                            summary.path("completion_tokens").asDouble() / n, perItem, perItem / first));
                }
                System.out.println();
                System.out.println("| execution | items ok | cost (USD) | cost report: realtime | cost report: batch-api |");
                double realtime = job(service.base(), items, taxonomy, "realtime", 1);
                double packed = job(service.base(), items, taxonomy, "realtime", 10);
                double batch = job(service.base(), items, taxonomy, "batch-api", 1);
                System.out.println(String.format(Locale.ROOT, "realtime pack 10 / realtime = %.3f; batch-api / realtime = %.3f",
                        packed / realtime, batch / realtime));
            }
        }
    }

    private static JsonNode classify(URI base, ArrayNode items, JsonNode taxonomy, int pack) throws Exception {
        ObjectNode body = request(items, taxonomy);
        body.put("pack", pack);
        return post(base, "/api/v1/classifications", body);
    }

    private static double job(URI base, ArrayNode items, JsonNode taxonomy, String execution, int pack) throws Exception {
        ObjectNode body = request(items, taxonomy);
        body.put("execution", execution).put("pack", pack);
        String id = post(base, "/api/v1/jobs", body).path("id").asText();
        JsonNode job = Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> JobsApi.get(base, "/api/v1/jobs/" + id), j -> !j.path("status").asText().matches("queued|running"));
        JsonNode report = job.path("cost_report");
        System.out.println(String.format(Locale.ROOT, "| %s, pack %d | %d | %.6f | %.6f | %.6f |", execution, pack,
                job.path("counts").path("ok").asInt(), job.path("cost_usd").asDouble(),
                report.path("realtime_usd").asDouble(), report.path("batch_api_usd").asDouble()));
        return job.path("cost_usd").asDouble();
    }

    /** The IKEA taxonomy, stored by name with its label descriptions, which the prompt then carries. */
    private static ObjectNode request(ArrayNode items, JsonNode taxonomy) {
        ObjectNode body = JSON.createObjectNode();
        body.put("classifier", "llm").put("mode", "text").put("taxonomy", "ikea").set("items", items);
        return body;
    }

    private static void storeTaxonomy(URI base, JsonNode taxonomy) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/taxonomies/ikea"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(taxonomy.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT taxonomy answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static JsonNode post(URI base, String path, JsonNode body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static ArrayNode items(Path csv, int n) throws Exception {
        List<List<String>> records = dev.catalogclassifier.testsupport.BenchData.records(csv);
        List<String> header = records.getFirst();
        ArrayNode items = JSON.createArrayNode();
        for (List<String> f : records.subList(1, Math.min(records.size(), n + 1))) {
            items.addObject().put("id", f.get(header.indexOf("item_id"))).put("name", f.get(header.indexOf("name")))
                    .put("description", f.get(header.indexOf("description")));
        }
        return items;
    }
}
