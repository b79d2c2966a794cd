package dev.catalogclassifier.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.bench.AccuracyBenchmark.Row;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The cascade's promise through the API, nested as {@link CascadeBenchmark} is: for each of 5 outer folds of ikea-dev
 * by series, the packaged service is sent a PUT of the benchmark taxonomy with the other four folds' items as
 * examples ({@code group_by: name}), is asked what it promises at each target ({@code GET ?precision=}), and then
 * classifies the fold's items with {@code classifier: cascade} at that target, against the in-process fake provider
 * for what it does not settle, learning off (what learning changes is {@link LearningBenchmark}'s). The realised
 * figures count the items answered by the local model and right.
 * Invoked by {@code bench/accuracy.sh}.
 */
public final class CascadeHttpBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OUTER = 5;
    private static final double[] TARGETS = { 0.90, 0.95, 0.97, 0.99 };

    private CascadeHttpBenchmark() {
    }

    /** One target's figures, summed over the outer folds. */
    private static final class Tally {
        int items;
        int settled;
        int right;
        int foldsBelow;
        double expectedShare;
        double expectedPrecision;
        double low;
        double high;
        int promised;
        double summaryPrecision;
        long tokensSaved;
        double costSaved;
        final List<String> headShares = new ArrayList<>();
        final List<String> thresholds = new ArrayList<>();
    }

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    public static void main(String[] args) throws Exception {
        List<Row> rows = AccuracyBenchmark.read(Path.of(args[0]));
        JsonNode base = JSON.readTree(Path.of(args[1]).toFile());
        Tally[] tallies = new Tally[TARGETS.length];
        for (int t = 0; t < TARGETS.length; t++) {
            tallies[t] = new Tally();
        }
        double putSeconds = 0;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY",
                    "bench-key", "CLASSIFIER_CACHE_ENABLED", "false", "CLASSIFIER_REQUESTS_MAX_ITEMS", "1000",
                    // the promise as PUT: each fold's four targets classify the same items, and must not learn from each other
                    "CLASSIFIER_REVIEW_LEARN", "false");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "cascade-http.log"))) {
                service.awaitOk("/api/v1/jobs");
                for (int fold = 0; fold < OUTER; fold++) {
                    List<Integer> test = new ArrayList<>();
                    ObjectNode taxonomy = base.deepCopy();
                    taxonomy.putObject("cascade").put("group_by", "name");
                    ArrayNode examples = taxonomy.putArray("examples");
                    for (int i = 0; i < rows.size(); i++) {
                        Row row = rows.get(i);
                        if (AccuracyBenchmark.fold(row) == fold) {
                            test.add(i);
                        } else {
                            row.categories().forEach(c -> examples.addObject().put("name", row.name())
                                    .put("description", row.description()).put("category", c));
                        }
                    }
                    String path = "/api/v1/taxonomies/fold-" + fold;
                    long start = System.nanoTime();
                    TaxonomyBenchmark.send(service.base(), "PUT", path, taxonomy.toString(), 201);
                    putSeconds += (System.nanoTime() - start) / 1e9;
                    for (int t = 0; t < TARGETS.length; t++) {
                        score(service.base(), "fold-" + fold, TARGETS[t], rows, test, tallies[t]);
                    }
                }
            }
        }
        print(tallies, putSeconds);
    }

    private static void score(URI base, String taxonomy, double target, List<Row> rows, List<Integer> test, Tally y)
            throws Exception {
        JsonNode promise = JSON.readTree(TaxonomyBenchmark.send(base, "GET",
                "/api/v1/taxonomies/" + taxonomy + "?precision=" + target, "", 200)).path("cascade");
        ObjectNode request = JSON.createObjectNode().put("taxonomy", taxonomy).put("classifier", "cascade");
        request.putObject("cascade").put("precision", target);
        ArrayNode items = request.putArray("items");
        test.forEach(i -> items.addObject().put("id", "i" + i).put("name", rows.get(i).name())
                .put("description", rows.get(i).description()));
        JsonNode answer = JSON.readTree(TaxonomyBenchmark.send(base, "POST", "/api/v1/classifications", request.toString(), 200));
        int settled = 0;
        int right = 0;
        for (JsonNode result : answer.path("results")) {
            if (LocalClassifier.MODEL.equals(result.path("model").asText())) {
                settled++;
                Row row = rows.get(Integer.parseInt(result.path("id").asText().substring(1)));
                right += row.categories().contains(result.path("category").asText()) ? 1 : 0;
            }
        }
        y.items += test.size();
        y.settled += settled;
        y.right += right;
        y.expectedShare += promise.path("settled_share").asDouble(0);
        y.thresholds.add(promise.path("threshold").isNumber()
                ? String.format(Locale.ROOT, "%.2f", promise.path("threshold").asDouble()) : "none");
        y.headShares.add(promise.path("head_share").isNumber()
                ? String.format(Locale.ROOT, "%.2f", promise.path("head_share").asDouble()) : "–");
        JsonNode cascade = answer.path("summary").path("cascade");
        y.tokensSaved += cascade.path("tokens_saved").asLong();
        y.costSaved += cascade.path("cost_saved_usd").asDouble();
        y.summaryPrecision += cascade.path("estimated_precision").asDouble(0) * settled;
        if (promise.path("estimated_precision").isNumber()) {
            double estimate = promise.path("estimated_precision").asDouble();
            double low = promise.path("estimated_precision_interval").path("low").asDouble();
            y.promised++;
            y.expectedPrecision += estimate;
            y.low += low;
            y.high += promise.path("estimated_precision_interval").path("high").asDouble();
            double realised = settled == 0 ? 1 : (double) right / settled;
            y.foldsBelow += realised < target - (estimate - low) ? 1 : 0;
        }
    }

    private static void print(Tally[] tallies, double putSeconds) {
        System.out.printf(Locale.ROOT, "### Through the API (PUT, GET ?precision=, POST classifier: cascade; fake provider)%n%n");
        System.out.println("| target | threshold (per fold) | head share (per fold) | promised settled | promised precision [95 % interval] | realised settled | realised precision | folds below the interval | summary's estimated precision | tokens saved | cost saved (USD) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int t = 0; t < TARGETS.length; t++) {
            Tally y = tallies[t];
            System.out.printf(Locale.ROOT, "| %.2f | %s | %s | %.1f %% | %s | %.1f %% | %s | %d of %d | %s | %d | %.4f |%n", TARGETS[t],
                    String.join(", ", y.thresholds), String.join(", ", y.headShares), 100 * y.expectedShare / OUTER,
                    y.promised == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% [%.1f, %.1f]", 100 * y.expectedPrecision / y.promised,
                            100 * y.low / y.promised, 100 * y.high / y.promised),
                    100.0 * y.settled / y.items, y.settled == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% (%d of %d)",
                            100.0 * y.right / y.settled, y.right, y.settled),
                    y.foldsBelow, OUTER, y.settled == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * y.summaryPrecision / y.settled),
                    y.tokensSaved, y.costSaved);
        }
        System.out.printf(Locale.ROOT, "%n5 PUTs (embed, calibrate with the head, store): %.1f s in all on %d cores%n%n",
                putSeconds, Runtime.getRuntime().availableProcessors());
    }
}
