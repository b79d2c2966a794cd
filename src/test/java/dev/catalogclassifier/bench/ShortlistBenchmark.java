package dev.catalogclassifier.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.local.ItemText;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.testsupport.BenchData;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Taxonomies too large for one prompt (invoked by {@code bench/shortlist.sh}):
 * <ol>
 * <li>shortlist recall@K on every item of ikea-dev against Google's 5,595 paths, in process: an item is recalled
 * when one of its K candidates lies in a Google subtree its IKEA category maps to ({@code ikea-to-google.tsv},
 * written before anything was measured); nothing here was tuned on these items;</li>
 * <li>on the packaged service: the PUT of 5,595 and of 20,000 categories (time, and the service's peak RSS), and
 * prompt tokens per item classifying {@code n} IKEA items into Google's taxonomy with {@code explain} against the
 * 25 categories {@code Furniture > *}, with the fake provider counting tokens from the text and the schema.</li>
 * </ol>
 */
public final class ShortlistBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] KS = { 5, 10, 25, 50 };

    private ShortlistBenchmark() {
    }

    /** {@code <items classified through the service>}. */
    public static void main(String[] args) throws Exception {
        List<String> google = BenchData.googleTaxonomy();
        List<BenchData.IkeaItem> items = BenchData.ikeaItems();
        recall(google, items);
        int n = Integer.parseInt(args[0]);
        List<BenchData.IkeaItem> sample = new ArrayList<>();
        for (int i = 0; i < items.size() && sample.size() < n; i += Math.max(1, items.size() / n)) {
            sample.add(items.get(i));
        }
        List<String> puts = new ArrayList<>();
        puts.add(onService(google, sample, true));
        puts.add(onService(twentyThousand(google), sample, false));
        System.out.println();
        System.out.println("| categories | PUT (embed + store) | service peak RSS before PUT, MB | after PUT, MB | "
                + "first request on a fresh service (loads the stored labels) |");
        puts.forEach(System.out::println);
    }

    private static void recall(List<String> google, List<BenchData.IkeaItem> items) {
        Map<String, List<String>> mapping = BenchData.ikeaToGoogle();
        LocalClassifier local = new LocalClassifier();
        long start = System.nanoTime();
        LocalClassifier.Prepared prepared = local.zeroShot(google);
        double embed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "Google taxonomy: %d paths embedded in %.1f s (in process, %d cores)%n%n", google.size(),
                embed, Runtime.getRuntime().availableProcessors());
        System.out.println("| item text read | K | recall@K | items recalled | ranking time / item |");
        for (ItemText text : ItemText.values()) {
            List<LocalClassifier.Input> inputs = items.stream()
                    .map(i -> LocalClassifier.Input.of(text, i.name(), i.description())).toList();
            start = System.nanoTime();
            List<LocalClassifier.Ranking> rankings = new ArrayList<>();
            for (int from = 0; from < inputs.size(); from += LocalClassifier.CHUNK) {
                rankings.addAll(local.rankAll(prepared, inputs.subList(from, Math.min(inputs.size(), from + LocalClassifier.CHUNK)), 50, 1));
            }
            double perItem = (System.nanoTime() - start) / 1e6 / items.size();
            for (int k : KS) {
                int recalled = 0;
                for (int i = 0; i < items.size(); i++) {
                    List<String> roots = items.get(i).categories().stream().flatMap(c -> mapping.get(c).stream()).toList();
                    if (rankings.get(i).candidates().subList(0, k).stream().anyMatch(c -> BenchData.within(c.category(), roots))) {
                        recalled++;
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f %% | %d of %d | %.1f ms |%n", text.label(), k,
                        100.0 * recalled / items.size(), recalled, items.size(), perItem);
            }
        }
    }

    /** The PUT's table row. */
    private static String onService(List<String> categories, List<BenchData.IkeaItem> sample, boolean classify) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            fake.countTokens(true);
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY",
                    "bench-key", "CLASSIFIER_CACHE_ENABLED", "false");
            String put;
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "shortlist.log"))) {
                service.awaitOk("/api/v1/jobs");
                long before = service.peakRssKb() / 1024;
                long start = System.nanoTime();
                ObjectNode taxonomy = JSON.createObjectNode().put("item_text", "description"); // IKEA names are series
                taxonomy.set("categories", JSON.valueToTree(categories));
                send(service.base(), "PUT", "/api/v1/taxonomies/large", taxonomy.toString(), 201);
                put = String.format(Locale.ROOT, "| %,d | %.1f s | %d | %d |", categories.size(),
                        (System.nanoTime() - start) / 1e9, before, service.peakRssKb() / 1024);
                if (classify) {
                    tokens(service.base(), fake, categories, sample);
                }
            }
            // another pod (here: the same service started again) loads the stored labels instead of embedding them
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "shortlist.log"))) {
                service.awaitOk("/api/v1/jobs");
                long start = System.nanoTime();
                classify(service.base(), "\"large\"", sample.subList(0, 1), "local");
                return String.format(Locale.ROOT, "%s %.1f s |", put, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void tokens(URI base, FakeOpenAi fake, List<String> google, List<BenchData.IkeaItem> sample) throws Exception {
        List<String> furniture = google.stream().filter(c -> c.startsWith("Furniture > ") && c.split(" > ").length == 2).toList();
        JsonNode large = classify(base, "\"large\"", sample);
        int calls = fake.calls().size();
        JsonNode small = classify(base, JSON.valueToTree(furniture).toString(), sample);
        Set<String> paths = Set.copyOf(google);
        long onList = 0;
        for (JsonNode r : large.path("results")) {
            onList += "ok".equals(r.path("status").asText()) && paths.contains(r.path("category").asText()) ? 1 : 0;
        }
        double largeTokens = large.path("summary").path("prompt_tokens").asDouble() / sample.size();
        double smallTokens = small.path("summary").path("prompt_tokens").asDouble() / sample.size();
        System.out.println();
        System.out.printf(Locale.ROOT, "%d IKEA items (every %dth of ikea-dev), classifier llm, explain: %d answers ok and one "
                + "of the 5,595 paths; %d model calls (%d asked again)%n%n", sample.size(),
                BenchData.ikeaItems().size() / sample.size(), onList, calls, calls - sample.size());
        System.out.println("| taxonomy | categories the call sees | prompt tokens / item | vs 25 categories |");
        System.out.printf(Locale.ROOT, "| Google (5,595, shortlisted) | 25 | %.0f | %.2f× |%n", largeTokens, largeTokens / smallTokens);
        System.out.printf(Locale.ROOT, "| Furniture > * (%d, whole) | %d | %.0f | 1.00× |%n", furniture.size(), furniture.size(),
                smallTokens);
    }

    /**
     * 20,000 categories: Google's paths, then each path again with a qualifier below it ({@code … > Premium},
     * {@code > Budget}, {@code > Refurbished}) until there are 20,000. Synthetic: no public taxonomy that size is here.
     */
    static List<String> twentyThousand(List<String> google) {
        List<String> all = new ArrayList<>(google);
        for (String qualifier : List.of("Premium", "Budget", "Refurbished")) {
            for (String path : google) {
                if (all.size() == 20_000) {
                    return all;
                }
                all.add(path + " > " + qualifier);
            }
        }
        return all;
    }

    private static JsonNode classify(URI base, String taxonomy, List<BenchData.IkeaItem> sample) throws Exception {
        return classify(base, taxonomy, sample, "llm");
    }

    private static JsonNode classify(URI base, String taxonomy, List<BenchData.IkeaItem> sample, String classifier)
            throws Exception {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < sample.size(); i++) {
            items.addObject().put("id", sample.get(i).id()).put("name", sample.get(i).name())
                    .put("description", sample.get(i).description());
        }
        ObjectNode request = JSON.createObjectNode().put("classifier", classifier).put("explain", true);
        request.set("taxonomy", JSON.readTree(taxonomy));
        request.set("items", items);
        return JSON.readTree(send(base, "POST", "/api/v1/classifications", request.toString(), 200));
    }

    private static String send(URI base, String method, String path, String body, int expected) throws Exception {
        return TaxonomyBenchmark.send(base, method, path, body, expected);
    }
}
