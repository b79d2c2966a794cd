package dev.catalogclassifier.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.testsupport.BenchData;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.PhotoServer;
import dev.catalogclassifier.testsupport.TestImages;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * End to end into Google's Product Taxonomy (invoked by {@code bench/google.sh}): the packaged service holds the 5,595
 * paths as a named taxonomy, and IKEA items of ikea-dev are classified by the LLM route against the oracle fake, which
 * knows each item's right Google subtrees ({@code ikea-to-google.tsv}, written before anything was measured) and is
 * right on {@code share} of the items whenever a right category is offered, as a good model would be. Reports the
 * end-to-end accuracy against the oracle's own, how often no right category was offered at all, and model calls and
 * prompt tokens (counted from the text, as a provider would) per item: the baseline the large-taxonomy route is
 * measured against.
 */
public final class GoogleEndToEndBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Items per request: well under the 1,000 a request may hold, so results come in several answers. */
    private static final int PER_REQUEST = 100;

    private GoogleEndToEndBenchmark() {
    }

    /** How the items are sent. */
    enum Mode {
        /** Requests of 100 items, each asked alone. */
        TEXT,
        /** The same, ten items a call ({@code "pack": 10}). */
        PACK,
        /** One Batch API job. */
        BATCH,
        /** Photo-only items: each item's photo (carrying a code the oracle knows it by) and no text. */
        PHOTO
    }

    /** {@code <items> <oracle's share right> [text|pack|batch|photo]}: every (size/items)th item of ikea-dev. */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        double share = Double.parseDouble(args[1]);
        Mode mode = args.length > 2 ? Mode.valueOf(args[2].toUpperCase(Locale.ROOT)) : Mode.TEXT;
        List<BenchData.IkeaItem> all = BenchData.ikeaItems();
        List<BenchData.IkeaItem> sample = new ArrayList<>();
        for (int i = 0; i < all.size() && sample.size() < n; i += Math.max(1, all.size() / n)) {
            sample.add(all.get(i));
        }
        Map<String, List<String>> mapping = BenchData.ikeaToGoogle();
        Map<String, Set<String>> truth = new HashMap<>();
        Map<String, List<String>> rootsById = new HashMap<>();
        Map<String, List<String>> rootsByKey = new HashMap<>();
        Map<String, String> keysById = new HashMap<>();
        for (int i = 0; i < sample.size(); i++) {
            BenchData.IkeaItem item = sample.get(i);
            List<String> roots = item.categories().stream().flatMap(c -> mapping.get(c).stream()).distinct().toList();
            String key = mode == Mode.PHOTO ? FakeOpenAi.photoKey(i) : FakeOpenAi.itemKey(item.name(), item.description());
            truth.put(key, new HashSet<>(roots));
            rootsById.put(item.id(), roots);
            rootsByKey.put(key, roots);
            keysById.put(item.id(), key);
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            fake.countTokens(true);
            fake.oracle(truth, share);
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY",
                    "bench-key", "CLASSIFIER_CACHE_ENABLED", "false", "CLASSIFIER_REVIEW_LEARN", "false",
                    "CLASSIFIER_BATCH_API_TICK", "1s", "CLASSIFIER_BATCH_API_FIRST_POLL_INTERVAL", "1s",
                    "CLASSIFIER_IMAGES_ALLOWED_INTERNAL_HOSTS", "127.0.0.1");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "google.log"))) {
                service.awaitOk("/api/v1/jobs");
                ObjectNode taxonomy = JSON.createObjectNode().put("item_text", "description"); // IKEA names are series
                taxonomy.set("categories", JSON.valueToTree(BenchData.googleTaxonomy()));
                TaxonomyBenchmark.Stored stored = TaxonomyBenchmark.store(service.base(), "google", taxonomy.toString());
                System.err.printf(Locale.ROOT, "PUT of Google's taxonomy answered in %.2f s; ready after %.1f s%n",
                        stored.answerSeconds(), stored.readySeconds());
                List<JsonNode> results;
                try (PhotoServer photos = new PhotoServer()) {
                    results = mode == Mode.BATCH ? batch(service.base(), sample) : classify(service.base(), sample, mode, photos);
                }
                System.out.println("mode: " + mode.name().toLowerCase(Locale.ROOT));
                report(results, rootsById, rootsByKey, keysById, fake, sample.size(), share);
            }
        }
    }

    private static List<JsonNode> classify(URI base, List<BenchData.IkeaItem> sample, Mode mode, PhotoServer photos)
            throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (int from = 0; from < sample.size(); from += PER_REQUEST) {
            ArrayNode items = JSON.createArrayNode();
            for (int i = from; i < Math.min(sample.size(), from + PER_REQUEST); i++) {
                BenchData.IkeaItem item = sample.get(i);
                ObjectNode entry = items.addObject().put("id", item.id());
                if (mode == Mode.PHOTO) {
                    entry.put("image_url", photos.serve("/p" + i + ".jpg", TestImages.jpeg(TestImages.coded(i, 600, 450)), "image/jpeg"));
                } else {
                    entry.put("name", item.name()).put("description", item.description());
                }
            }
            ObjectNode request = JSON.createObjectNode().put("classifier", "llm").put("taxonomy", "google");
            if (mode == Mode.PACK) {
                request.put("pack", 10);
            }
            request.set("items", items);
            JsonNode answer = JSON.readTree(TaxonomyBenchmark.send(base, "POST", "/api/v1/classifications",
                    request.toString(), 200));
            answer.path("results").forEach(results::add);
        }
        return results;
    }

    /** One Batch API job of the sample; its results once it completes (the fake ends each batch at its first poll). */
    private static List<JsonNode> batch(URI base, List<BenchData.IkeaItem> sample) throws Exception {
        ArrayNode items = JSON.createArrayNode();
        sample.forEach(item -> items.addObject().put("id", item.id()).put("name", item.name()).put("description", item.description()));
        ObjectNode request = JSON.createObjectNode().put("classifier", "llm").put("taxonomy", "google").put("mode", "text")
                .put("execution", "batch-api");
        request.set("items", items);
        String id = JSON.readTree(TaxonomyBenchmark.send(base, "POST", "/api/v1/jobs", request.toString(), 202)).path("id").asText();
        JsonNode[] last = new JsonNode[1];
        // polled every 500 ms, as a client would
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(30)).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> {
                    last[0] = JSON.readTree(TaxonomyBenchmark.send(base, "GET", "/api/v1/jobs/" + id, "", 200));
                    return List.of("completed", "failed").contains(last[0].path("status").asText());
                });
        JsonNode job = last[0];
        System.err.printf(Locale.ROOT, "batch job: %s, cost %.6f USD at batch price (%.6f USD in realtime)%n",
                job.path("status").asText(), job.path("cost_report").path("batch_api_usd").asDouble(),
                job.path("cost_report").path("realtime_usd").asDouble());
        List<JsonNode> results = new ArrayList<>();
        JSON.readTree(TaxonomyBenchmark.send(base, "GET", "/api/v1/jobs/" + id + "/results?limit=" + sample.size(), "", 200))
                .path("items").forEach(results::add);
        return results;
    }

    /** What the oracle knows a call's item by: its coded photo, else its text. */
    private static String key(FakeOpenAi.Call call) {
        return call.photo() != null && call.photo().code() >= 0 ? FakeOpenAi.photoKey(call.photo().code()) : call.item().strip();
    }

    private static void report(List<JsonNode> results, Map<String, List<String>> rootsById,
            Map<String, List<String>> rootsByKey, Map<String, String> keysById, FakeOpenAi fake, int items, double share) {
        int right = 0;
        int ok = 0;
        long promptTokens = 0;
        for (JsonNode r : results) {
            promptTokens += r.path("usage").path("prompt_tokens").asLong();
            if ("ok".equals(r.path("status").asText())) {
                ok++;
                right += BenchData.within(r.path("category").asText(), rootsById.get(r.path("id").asText())) ? 1 : 0;
            }
        }
        int missed = 0;
        List<FakeOpenAi.Call> calls = fake.calls();
        for (FakeOpenAi.Call call : calls) {
            List<String> roots = rootsByKey.get(key(call));
            if (roots != null && call.categoryEnum().stream().noneMatch(c -> BenchData.within(c, roots))) {
                missed++;
            }
        }
        System.out.println("| items | oracle right when offered | answered ok | end-to-end accuracy | of the oracle's own "
                + "| model calls / item | prompt tokens / item |");
        System.out.printf(Locale.ROOT, "| %d | %.0f %% | %d | %.1f %% | %.2f× | %.2f | %.0f |%n", items, 100 * share, ok,
                100.0 * right / items, right / (double) items / share, calls.size() / (double) items,
                promptTokens / (double) items);
        System.err.printf(Locale.ROOT, "calls that offered no right category for their item: %d of %d%n", missed, calls.size());
        Map<String, Long> callsByItem = new HashMap<>();
        calls.forEach(c -> callsByItem.merge(key(c), 1L, Long::sum));
        int walked = 0;
        int walkedRight = 0;
        for (JsonNode r : results) {
            String id = r.path("id").asText();
            String key = keysById.get(id);
            if (callsByItem.getOrDefault(key, 0L) > 1) {
                walked++;
                walkedRight += BenchData.within(r.path("category").asText(), rootsById.get(id)) ? 1 : 0;

            }
        }
        long oracleRight = keysById.values().stream().filter(fake::rightOn).count();
        long rightWhereRight = results.stream().filter(r -> fake.rightOn(keysById.get(r.path("id").asText())))
                .filter(r -> BenchData.within(r.path("category").asText(), rootsById.get(r.path("id").asText()))).count();
        System.err.printf(Locale.ROOT, "items the oracle is right on when offered a right category, in this sample: %d (%.1f %%);"
                + " of them answered right end to end: %d%n", oracleRight, 100.0 * oracleRight / items, rightWhereRight);
        System.err.printf(Locale.ROOT, "items asked more than once (the walk below a broad answer, or after none of the shortlist fitted): %d, right: %d%n",
                walked, walkedRight);
    }
}
