package dev.catalogclassifier.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

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
 * Whether the service gets cheaper as it learns a catalogue, and keeps its promise while it does; and whether the
 * results it marks for review hold the wrong answers. For each quarter of ikea-dev's series: the packaged service is
 * sent the benchmark taxonomy with the other three quarters' items as examples ({@code group_by: name}), then the
 * quarter's items, shuffled (seed 42 + quarter), in requests of 50 under {@code classifier: cascade} at 0.97, against
 * the fake provider in oracle mode (it knows each item's categories and is right on {@link #ORACLE} of the items, the
 * same ones every time). The same streams run twice: on a service that learns, and on one that does not
 * ({@code CLASSIFIER_REVIEW_LEARN=false}), each on a database of its own. Nothing here was tuned on these streams:
 * the thresholds come from the taxonomy's own calibration, the model's prior from configuration.
 * Invoked by {@code bench/learning.sh}.
 */
public final class LearningBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUARTERS = 4;
    private static final int REQUEST = 50;
    private static final int DECILES = 10;
    private static final double TARGET = 0.97;
    static final double ORACLE = 0.92;

    private LearningBenchmark() {
    }

    /** What one decile of the streams (all quarters together) saw. */
    private static final class Decile {
        int items;
        int withoutModel;
        int local;
        int localRight;
        int cached;
        int cachedRight;
        int model;
        int modelRight;
        int calls;
    }

    /** One configuration's figures over the four quarters. */
    private static final class Tally {
        final Decile[] deciles = new Decile[DECILES];
        int items;
        int wrong;
        int marked;
        int wrongMarked;
        /** By who answered (local, cache, model): items, wrong, marked, wrong and marked. */
        final int[][] bySource = new int[3][4];
        int calls;
        int secondHalfCalls;
        int learnt;
        double promisedLow;
        double promisedHigh;
        int promises;

        Tally() {
            for (int d = 0; d < DECILES; d++) {
                deciles[d] = new Decile();
            }
        }
    }

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    public static void main(String[] args) throws Exception {
        List<Row> rows = AccuracyBenchmark.read(Path.of(args[0]));
        JsonNode base = JSON.readTree(Path.of(args[1]).toFile());
        Map<String, Set<String>> truth = new HashMap<>();
        rows.forEach(r -> truth.computeIfAbsent(FakeOpenAi.itemKey(r.name(), r.description()), k -> new HashSet<>())
                .addAll(r.categories()));
        composition(rows);
        if (Boolean.getBoolean("learning.compositionOnly")) {
            return;
        }
        Tally learning = run(rows, base, truth, true);
        Tally without = run(rows, base, truth, false);
        print(learning, without, rows.size());
    }

    /**
     * What the second half of each stream holds: items that repeat an earlier item's name and description, that share
     * only its description, only its series name, or nothing with any earlier item. What learning can reuse depends on it.
     */
    private static void composition(List<Row> rows) {
        int[] kinds = new int[4];
        for (int q = 0; q < QUARTERS; q++) {
            List<Row> stream = stream(rows, q).stream().map(rows::get).toList();
            Set<String> items = new HashSet<>();
            Set<String> descriptions = new HashSet<>();
            Set<String> series = new HashSet<>();
            for (int i = 0; i < stream.size(); i++) {
                Row r = stream.get(i);
                String description = r.description().toLowerCase(Locale.ROOT);
                String name = r.name().toLowerCase(Locale.ROOT);
                if (i >= stream.size() / 2) {
                    kinds[items.contains(name + "\n" + description) ? 0 : descriptions.contains(description) ? 1
                            : series.contains(name) ? 2 : 3]++;
                }
                items.add(name + "\n" + description);
                descriptions.add(description);
                series.add(name);
            }
        }
        int n = java.util.Arrays.stream(kinds).sum();
        System.out.printf(Locale.ROOT, "Second halves of the streams, %d items: %.1f %% repeat an earlier item's name and "
                + "description, %.1f %% share only its description, %.1f %% only its series name, %.1f %% nothing.%n%n",
                n, 100.0 * kinds[0] / n, 100.0 * kinds[1] / n, 100.0 * kinds[2] / n, 100.0 * kinds[3] / n);
    }

    /** The row indexes of quarter {@code q}'s stream, in the order they are sent. */
    private static List<Integer> stream(List<Row> rows, int q) {
        List<Integer> stream = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (quarter(rows.get(i)) == q) {
                stream.add(i);
            }
        }
        Collections.shuffle(stream, new Random(42 + q));
        return stream;
    }

    private static Tally run(List<Row> rows, JsonNode base, Map<String, Set<String>> truth, boolean learn) throws Exception {
        Tally tally = new Tally();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            fake.oracle(truth, ORACLE);
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY",
                    "bench-key", "CLASSIFIER_REVIEW_LEARN", String.valueOf(learn));
            Path log = Path.of("target", "bench", "learning-" + (learn ? "on" : "off") + ".log");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, log)) {
                service.awaitOk("/api/v1/jobs");
                for (int q = 0; q < QUARTERS; q++) {
                    quarter(service.base(), fake, rows, truth, base, q, tally);
                }
            }
        }
        return tally;
    }

    static int quarter(Row row) {
        return Math.floorMod(("quarter:" + row.name().toLowerCase(Locale.ROOT)).hashCode(), QUARTERS);
    }

    private static void quarter(URI base, FakeOpenAi fake, List<Row> rows, Map<String, Set<String>> truth, JsonNode definition,
            int q, Tally y) throws Exception {
        ObjectNode taxonomy = definition.deepCopy();
        taxonomy.putObject("cascade").put("group_by", "name").put("precision", TARGET);
        ArrayNode examples = taxonomy.putArray("examples");
        rows.stream().filter(row -> quarter(row) != q).forEach(row -> row.categories().forEach(c -> examples.addObject()
                .put("name", row.name()).put("description", row.description()).put("category", c)));
        List<Integer> stream = stream(rows, q);
        String name = "quarter-" + q;
        TaxonomyBenchmark.send(base, "PUT", "/api/v1/taxonomies/" + name, taxonomy.toString(), 201);
        JsonNode promise = JSON.readTree(TaxonomyBenchmark.send(base, "GET", "/api/v1/taxonomies/" + name, "", 200)).path("cascade");
        if (promise.path("estimated_precision_interval").isObject()) {
            y.promises++;
            y.promisedLow += promise.path("estimated_precision_interval").path("low").asDouble();
            y.promisedHigh += promise.path("estimated_precision_interval").path("high").asDouble();
        }
        for (int from = 0; from < stream.size(); from += REQUEST) {
            List<Integer> chunk = stream.subList(from, Math.min(stream.size(), from + REQUEST));
            ObjectNode request = JSON.createObjectNode().put("taxonomy", name).put("classifier", "cascade");
            request.putObject("cascade").put("precision", TARGET);
            ArrayNode items = request.putArray("items");
            chunk.forEach(i -> items.addObject().put("id", "i" + i).put("name", rows.get(i).name())
                    .put("description", rows.get(i).description()));
            int before = fake.calls().size();
            JsonNode answer = JSON.readTree(TaxonomyBenchmark.send(base, "POST", "/api/v1/classifications", request.toString(), 200));
            int calls = fake.calls().size() - before;
            Map<String, JsonNode> byId = new HashMap<>();
            answer.path("results").forEach(r -> byId.put(r.path("id").asText(), r));
            for (int k = 0; k < chunk.size(); k++) {
                int position = from + k;
                count(y, rows.get(chunk.get(k)), truth, byId.get("i" + chunk.get(k)), position * DECILES / stream.size());
            }
            // a request's calls belong to the decile of its first item
            y.deciles[from * DECILES / stream.size()].calls += calls;
            y.calls += calls;
            y.secondHalfCalls += from >= stream.size() / 2 ? calls : 0;
        }
        JsonNode learnt = JSON.readTree(TaxonomyBenchmark.send(base, "GET", "/api/v1/taxonomies/" + name, "", 200))
                .path("examples_by_source");
        y.learnt += learnt.path("model").asInt();
    }

    private static void count(Tally y, Row row, Map<String, Set<String>> truth, JsonNode result, int decile) {
        Decile d = y.deciles[decile];
        d.items++;
        y.items++;
        // right with any category of an item of the same name and description, as the oracle is: no text tells them apart
        boolean right = result != null && truth.get(FakeOpenAi.itemKey(row.name(), row.description()))
                .contains(result.path("category").asText());
        if (!right) {
            y.wrong++;
        }
        if (result != null && result.path("review").asBoolean(false)) {
            y.marked++;
            y.wrongMarked += right ? 0 : 1;
        }
        if (result == null || !"ok".equals(result.path("status").asText())) {
            return;
        }
        int source = LocalClassifier.MODEL.equals(result.path("model").asText()) ? 0 : result.path("cached").asBoolean() ? 1 : 2;
        boolean marked = result.path("review").asBoolean(false);
        int[] s = y.bySource[source];
        s[0]++;
        s[1] += right ? 0 : 1;
        s[2] += marked ? 1 : 0;
        s[3] += marked && !right ? 1 : 0;
        if (LocalClassifier.MODEL.equals(result.path("model").asText())) {
            d.withoutModel++;
            d.local++;
            d.localRight += right ? 1 : 0;
        } else if (result.path("cached").asBoolean()) {
            d.withoutModel++;
            d.cached++;
            d.cachedRight += right ? 1 : 0;
        } else {
            d.model++;
            d.modelRight += right ? 1 : 0;
        }
    }

    private static void print(Tally on, Tally off, int rows) {
        System.out.printf(Locale.ROOT, "### Learning from the model (ikea-dev, %d items; 4 quarters by series; requests of %d; "
                + "cascade at %.2f; oracle right on %.0f %%)%n%n", rows, REQUEST, TARGET, 100 * ORACLE);
        for (Tally y : new Tally[] { on, off }) {
            System.out.println(y == on ? "**Learning on** (the service as shipped)" : "**Learning off** (CLASSIFIER_REVIEW_LEARN=false)");
            System.out.println();
            System.out.println("| decile | items | without a model call | of which local / cache | precision of those | precision of the model's | model calls |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int i = 0; i < DECILES; i++) {
                Decile d = y.deciles[i];
                System.out.printf(Locale.ROOT, "| %d | %d | %.1f %% | %d / %d | %s | %s | %d |%n", i + 1, d.items,
                        100.0 * d.withoutModel / d.items, d.local, d.cached, share(d.localRight + d.cachedRight, d.local + d.cached),
                        share(d.modelRight, d.model), d.calls);
            }
            Decile half = half(y);
            System.out.println();
            System.out.printf(Locale.ROOT, "Second half of the streams: %.1f %% without a model call, right %s of the time "
                    + "(local %s, cache %s); the model's answers right %s; ratio %.3f. Model calls: %d in all, %d in the "
                    + "second half. Learnt examples: %d.%n", 100.0 * half.withoutModel / half.items,
                    share(half.localRight + half.cachedRight, half.local + half.cached), share(half.localRight, half.local),
                    share(half.cachedRight, half.cached), share(half.modelRight, half.model),
                    rate(half.localRight + half.cachedRight, half.local + half.cached) / rate(half.modelRight, half.model),
                    y.calls, y.secondHalfCalls, y.learnt);
            System.out.printf(Locale.ROOT, "Review: %d of %d items marked (%.1f %%); they hold %d of the %d wrong answers (%.1f %%).%n",
                    y.marked, y.items, 100.0 * y.marked / y.items, y.wrongMarked, y.wrong, 100.0 * y.wrongMarked / Math.max(1, y.wrong));
            String[] names = { "local", "cache", "model" };
            for (int k = 0; k < 3; k++) {
                int[] s = y.bySource[k];
                System.out.printf(Locale.ROOT, "- answered by the %s: %d items, %d wrong; %d marked, %d of them wrong%n", names[k],
                        s[0], s[1], s[2], s[3]);
            }
            if (y.promises > 0) {
                System.out.printf(Locale.ROOT, "Promised precision of what is settled locally, as PUT: [%.1f, %.1f] %% (mean of the quarters).%n",
                        100 * y.promisedLow / y.promises, 100 * y.promisedHigh / y.promises);
            }
            System.out.println();
        }
        System.out.printf(Locale.ROOT, "Model calls with learning: %d, without: %d (%.2f ×); in the second half %d vs %d (%.2f ×).%n%n",
                on.calls, off.calls, (double) on.calls / off.calls, on.secondHalfCalls, off.secondHalfCalls,
                (double) on.secondHalfCalls / off.secondHalfCalls);
    }

    private static Decile half(Tally y) {
        Decile sum = new Decile();
        for (int i = DECILES / 2; i < DECILES; i++) {
            Decile d = y.deciles[i];
            sum.items += d.items;
            sum.withoutModel += d.withoutModel;
            sum.local += d.local;
            sum.localRight += d.localRight;
            sum.cached += d.cached;
            sum.cachedRight += d.cachedRight;
            sum.model += d.model;
            sum.modelRight += d.modelRight;
        }
        return sum;
    }

    private static double rate(int right, int of) {
        return of == 0 ? Double.NaN : (double) right / of;
    }

    private static String share(int right, int of) {
        return of == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% (%d of %d)", 100.0 * right / of, right, of);
    }
}
