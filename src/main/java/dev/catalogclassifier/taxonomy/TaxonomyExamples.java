package dev.catalogclassifier.taxonomy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.cascade.CalibrationCodec;
import dev.catalogclassifier.cascade.Calibrator;
import dev.catalogclassifier.cascade.GroupBy;
import dev.catalogclassifier.local.LocalClassifier;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The examples a stored taxonomy gains after its PUT: added by the caller, corrections and confirmations of results,
 * and answers of the model it learnt. Each is a row of {@code taxonomy_example} beside the definition's, marked with
 * its {@link ExampleSource}; adding bumps the taxonomy's revision, so every pod appends the new rows to its prepared
 * copy at its next request ({@link TaxonomyStore#resolve}). The calibration and the head are made again over all of
 * them ({@link #recalibrate}), in the background.
 */
@ApplicationScoped
public class TaxonomyExamples {

    private final Pool pool;
    private final TaxonomyStore store;
    private final LocalClassifier local;
    private final Calibrator calibrator;

    public TaxonomyExamples(Pool pool, TaxonomyStore store, LocalClassifier local, Calibrator calibrator) {
        this.pool = pool;
        this.store = store;
        this.local = local;
        this.calibrator = calibrator;
    }

    /** An example to add: as a caller gives it, the vector it was already embedded with (null: embed it), and whence. */
    public record Incoming(TaxonomyDefinition.Example example, float[] vector, String origin) {
    }

    /** How many examples the taxonomy has after an addition or a drop, and how many its calibration was made from. */
    public record Counts(int examples, int calibratedExamples) {
    }

    /** One example as listed. */
    @RegisterForReflection
    public record Listed(long id, String text, String category, String source, String origin, Instant createdAt) {
    }

    /** A page of examples of one source, and how many there are in all. */
    @RegisterForReflection
    public record Page(int total, List<Listed> examples) {
    }

    /** The header of {@code scope}'s own taxonomy of that name (not a shared one it merely sees). */
    Uni<Optional<TaxonomyStore.Header>> own(String scope, String name) {
        return store.header(scope, name).map(found -> found.filter(h -> h.tenant().equals(TaxonomyStore.scope(scope))));
    }

    /**
     * Adds examples of {@code source} to a stored taxonomy (validated already). The caller's word (any source but
     * {@link ExampleSource#MODEL}) replaces what was learnt from the model about the same text: a learnt example that
     * a correction proves wrong stops counting.
     */
    public Uni<Counts> add(TaxonomyStore.Header h, List<Incoming> incoming, ExampleSource source) {
        Map<String, String> canonical = new LinkedHashMap<>();
        h.categories().forEach(c -> canonical.put(dev.catalogclassifier.classify.Taxonomy.key(c), c));
        List<String> texts = incoming.stream().map(i -> i.example().readAs(h.itemText())).toList();
        List<Integer> unembedded = new ArrayList<>();
        for (int i = 0; i < incoming.size(); i++) {
            if (incoming.get(i).vector() == null) {
                unembedded.add(i);
            }
        }
        CompletableFuture<float[][]> embedded = local.embedExamplesAsync(unembedded.stream().map(texts::get).toList());
        return Uni.createFrom().completionStage(() -> embedded).chain(vectors -> {
            List<Tuple> rows = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < incoming.size(); i++) {
                Incoming in = incoming.get(i);
                float[] vector = in.vector() != null ? in.vector() : vectors[next++];
                TaxonomyDefinition.Example e = in.example();
                rows.add(Tuple.from(Arrays.asList(h.tenant(), h.name(), -1, texts.get(i),
                        canonical.get(dev.catalogclassifier.classify.Taxonomy.key(e.category())),
                        io.vertx.core.buffer.Buffer.buffer(TaxonomyStore.bytes(vector)), TaxonomyStore.sizeCm(e.sizes()),
                        TaxonomyStore.group(e, h.groupBy(), h.itemText()), source.wireName(), in.origin())));
            }
            return pool.withTransaction(conn -> insert(conn, h, texts, rows, source));
        });
    }

    private static Uni<Counts> insert(SqlConnection conn, TaxonomyStore.Header h, List<String> texts, List<Tuple> rows,
            ExampleSource source) {
        Uni<Void> superseded = source == ExampleSource.MODEL ? Uni.createFrom().voidItem()
                : conn.preparedQuery("""
                        DELETE FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2 AND source = 'model' AND text = ANY($3)""")
                        .execute(Tuple.of(h.tenant(), h.name(), texts.toArray(String[]::new))).replaceWithVoid();
        return superseded.chain(() -> conn.preparedQuery("""
                        INSERT INTO taxonomy_example (tenant, taxonomy, idx, text, category, vector, size_cm, grp, source, origin)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""").executeBatch(rows))
                .chain(() -> recount(conn, h.tenant(), h.name()));
    }

    /** The stored count made true again, and the revision moved on so every pod reads what changed. */
    private static Uni<Counts> recount(SqlConnection conn, String tenant, String name) {
        return conn.preparedQuery("""
                        UPDATE taxonomy SET example_count = (SELECT count(*) FROM taxonomy_example
                                                             WHERE tenant = $1 AND taxonomy = $2),
                                            revision = revision + 1
                        WHERE tenant = $1 AND name = $2 RETURNING example_count, calibrated_examples""")
                .execute(Tuple.of(tenant, name))
                .map(r -> r.iterator().hasNext()
                        ? new Counts(r.iterator().next().getInteger("example_count"), r.iterator().next().getInteger("calibrated_examples"))
                        : new Counts(0, 0));
    }

    /**
     * Counts what the caller said of answers of the LLM: {@code confirmed} right, {@code corrected} wrong. The revision
     * moves on, so every pod judges the next answers with the new estimate.
     */
    public Uni<Void> countFeedback(TaxonomyStore.Header h, int confirmed, int corrected) {
        return pool.preparedQuery("""
                        UPDATE taxonomy SET model_confirmed = model_confirmed + $3, model_corrected = model_corrected + $4,
                                            revision = revision + 1
                        WHERE tenant = $1 AND name = $2""")
                .execute(Tuple.of(h.tenant(), h.name(), confirmed, corrected)).replaceWithVoid();
    }

    /** Drops every example of {@code source} (never the definition's); how many there are after. */
    public Uni<Counts> drop(TaxonomyStore.Header h, ExampleSource source) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "DELETE FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2 AND source = $3")
                .execute(Tuple.of(h.tenant(), h.name(), source.wireName()))
                .chain(() -> recount(conn, h.tenant(), h.name())));
    }

    /** A page of the examples of {@code source} (all sources when null), oldest first. */
    public Uni<Page> list(TaxonomyStore.Header h, ExampleSource source, int limit, int offset) {
        String filter = source == null ? "" : " AND source = $3";
        Tuple args = source == null ? Tuple.of(h.tenant(), h.name()) : Tuple.of(h.tenant(), h.name(), source.wireName());
        Uni<Integer> total = pool.preparedQuery("SELECT count(*) AS n FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2"
                + filter).execute(args).map(r -> r.iterator().next().getLong("n").intValue());
        Uni<List<Listed>> page = pool.preparedQuery("""
                        SELECT id, text, category, source, origin, created_at FROM taxonomy_example
                        WHERE tenant = $1 AND taxonomy = $2""" + filter + " ORDER BY id LIMIT " + limit + " OFFSET " + offset)
                .execute(args).map(rows -> {
                    List<Listed> listed = new ArrayList<>();
                    rows.forEach(r -> listed.add(new Listed(r.getLong("id"), r.getString("text"), r.getString("category"),
                            r.getString("source"), r.getString("origin"), r.getOffsetDateTime("created_at").toInstant())));
                    return listed;
                });
        return Uni.combine().all().unis(total, page).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    /** How many examples of each source a taxonomy has (every source named, 0 included). */
    public Uni<Map<String, Integer>> bySource(String tenant, String name) {
        return pool.preparedQuery("SELECT source, count(*) AS n FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2 GROUP BY source")
                .execute(Tuple.of(tenant, name)).map(rows -> {
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    for (ExampleSource s : ExampleSource.values()) {
                        counts.put(s.wireName(), 0);
                    }
                    rows.forEach(r -> counts.put(r.getString("source"), r.getLong("n").intValue()));
                    return counts;
                });
    }

    /**
     * Calibrates the taxonomy's cascade again over all its examples, and trains its head again, as a PUT does; stored
     * only if the taxonomy was not replaced meanwhile. What the calibration then measures is agreement with the
     * examples' categories, learnt ones (the model's answers) and corrections (the caller's) included.
     */
    public Uni<Boolean> recalibrate(TaxonomyStore.Header h) {
        Uni<float[][]> labels = pool.preparedQuery("SELECT vector FROM taxonomy_label WHERE tenant = $1 AND taxonomy = $2 ORDER BY idx")
                .execute(Tuple.of(h.tenant(), h.name())).map(rows -> {
                    float[][] vectors = new float[rows.rowCount()][];
                    int i = 0;
                    for (Row row : rows) {
                        vectors[i++] = TaxonomyStore.floats(row.getBuffer("vector").getBytes());
                    }
                    return vectors;
                });
        Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> examples = pool.preparedQuery("""
                        SELECT id, text, category, vector, size_cm, grp FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2
                        ORDER BY id""").execute(Tuple.of(h.tenant(), h.name()));
        return Uni.combine().all().unis(labels, examples).asTuple().chain(t -> {
            ExampleRows read = ExampleRows.of(t.getItem2(), h.categories());
            if (t.getItem1().length != h.categories().size() || read.vectors().length == 0) {
                return Uni.createFrom().item(false);
            }
            List<String> texts = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            t.getItem2().forEach(r -> {
                texts.add(r.getString("text"));
                groups.add(r.getString("grp") == null ? r.getString("text") : r.getString("grp"));
            });
            LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(h.categories(), t.getItem1(), read.vectors(),
                    read.labels(), read.sizes());
            GroupBy groupBy = h.calibrated().calibrations().isEmpty() ? h.groupBy()
                    : h.calibrated().calibrations().getFirst().groupedBy();
            return Uni.createFrom().completionStage(() -> calibrator.calibrate(new Calibrator.Examples(prepared,
                            Calibrator.Examples.itemsOf(texts), groups, groupBy)))
                    .chain(calibrated -> pool.preparedQuery("""
                                    UPDATE taxonomy SET calibration = $3, head = $4, calibrated_examples = $5, revision = revision + 1
                                    WHERE tenant = $1 AND name = $2 AND content_sha256 = $6""")
                            .execute(Tuple.from(Arrays.asList(h.tenant(), h.name(),
                                    io.vertx.core.buffer.Buffer.buffer(CalibrationCodec.write(calibrated.calibrations())),
                                    calibrated.head() == null ? null : io.vertx.core.buffer.Buffer.buffer(calibrated.head().write()),
                                    texts.size(), h.sha())))
                            .map(rows -> rows.rowCount() > 0));
        });
    }
}
