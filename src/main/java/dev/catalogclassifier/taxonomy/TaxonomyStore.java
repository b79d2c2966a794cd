package dev.catalogclassifier.taxonomy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.cascade.Calibration;
import dev.catalogclassifier.cascade.CalibrationCodec;
import dev.catalogclassifier.cascade.Calibrator;
import dev.catalogclassifier.cascade.Cascade;
import dev.catalogclassifier.cascade.CascadeView;
import dev.catalogclassifier.cascade.Cascades;
import dev.catalogclassifier.cascade.GroupBy;
import dev.catalogclassifier.classify.NamedTaxonomies;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.classify.ValidatedRequest;
import dev.catalogclassifier.problem.ConflictException;
import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.ItemText;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.SoftmaxHead;
import dev.catalogclassifier.review.ReviewConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Named taxonomies in PostgreSQL, with the embeddings of their examples and of their category labels, and each pod's
 * prepared copy in memory.
 * Examples go through the plain reactive SQL client rather than Hibernate: 50,000 rows in one transaction
 * would otherwise sit in one session as managed entities.
 * A prepared copy is reused while the stored {@code content_sha256} is unchanged, so a taxonomy replaced
 * through another pod is picked up on the next request that names it.
 */
@ApplicationScoped
public class TaxonomyStore implements NamedTaxonomies {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private static final int INSERT_CHUNK = 1000;
    /** Examples read per query when a taxonomy is loaded. */
    private static final int LOAD_PAGE = 5000;
    /** Prepared taxonomies kept per pod; 50,000 examples take about 80 MB. */
    private static final int MAX_PREPARED = 16;
    /**
     * How long a caller waits for a taxonomy to be stored or calibrated again: embedding and calibrating 50,000
     * examples takes minutes on two cores, so the database's usual minute ({@link dev.catalogclassifier.database.Blocking#DATABASE_WAIT}) is too short;
     * an hour still ends the wait on a database that has gone away.
     */
    static final java.time.Duration PREPARATION_WAIT = java.time.Duration.ofHours(1);

    private final Pool pool;
    private final LocalClassifier local;
    private final ObjectMapper json;
    private final Calibrator calibrator;
    private final Cascades cascades;
    private final ReviewConfig review;
    private final PreparationRows preparations;
    /** The least recently used taxonomy goes first when the bound is reached. */
    private final Map<Scoped, Prepared> prepared = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Scoped, Prepared> eldest) {
            return size() > MAX_PREPARED;
        }
    });

    /**
     * A pod's prepared copy of a taxonomy: of which definition and revision, from which calibration (how many examples
     * it was made from), and up to which example row it has read.
     */
    private record Prepared(String sha, long revision, int calibratedExamples, long lastId, Taxonomy taxonomy) {

        int examples() {
            return taxonomy.local().examples().length;
        }
    }

    /** A taxonomy's name within its owner's scope. */
    private record Scoped(String tenant, String name) {
    }

    /** The stored header of a taxonomy. */
    private static final String HEADERS = """
            SELECT tenant, name, categories, descriptions, example_count, content_sha256, model, item_text, source, updated_at,
                   cascade_precision, calibration, revision, calibrated_examples, group_by, model_confirmed, model_corrected
            FROM taxonomy""";

    /** Every taxonomy a tenant sees, once per name: its own where it has one, else the shared one. */
    private static final String VISIBLE_HEADERS = """
            SELECT DISTINCT ON (name) tenant, name, categories, descriptions, example_count, content_sha256, model,
                   item_text, source, updated_at, cascade_precision, revision, calibrated_examples, group_by,
                   model_confirmed, model_corrected
            FROM taxonomy WHERE tenant IN ($1, '') ORDER BY name, tenant = ''""";

    /** A tenant's own taxonomy of a name, else the shared one: its own goes first. */
    private static final String VISIBLE = " WHERE name = $1 AND tenant IN ($2, '') ORDER BY tenant = '' LIMIT 1";

    /** {@code tenant}: its owner, {@link #SHARED} for shared ones. */
    record Header(String tenant, String name, List<String> categories, Map<String, String> descriptions, int examples, String sha,
            String model, ItemText itemText, String source, OffsetDateTime updatedAt, Double cascadePrecision,
            Calibrated calibrated, long revision, int calibratedExamples, GroupBy groupBy, Cascade.Feedback feedback) {

        Cascade cascade() {
            return new Cascade(cascadePrecision, calibrated.calibrations(), feedback);
        }
    }

    /**
     * A header's calibrations, and whether they are of this release's format: an older one was calibrated without the
     * supervised head, and a taxonomy file is stored again to get it.
     */
    record Calibrated(List<Calibration> calibrations, boolean current) {

        static final Calibrated NONE = new Calibrated(List.of(), false);
    }

    public TaxonomyStore(Pool pool, LocalClassifier local, ObjectMapper json, Calibrator calibrator, Cascades cascades,
            ReviewConfig review, PreparationRows preparations) {
        this.preparations = preparations;
        this.review = review;
        this.calibrator = calibrator;
        this.cascades = cascades;
        this.pool = pool;
        this.local = local;
        this.json = json;
    }

    /** The SHA-256 of a definition as it would be stored, to skip loading an unchanged file again. */
    public String sha(TaxonomyDefinition definition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(definition));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scope of taxonomies shared by every tenant: loaded from files, or every one of an open service. */
    public static final String SHARED = "";

    /** Where a tenant's taxonomies are kept: its name, or {@link #SHARED} on an open service (no tenant). */
    static String scope(String tenant) {
        return tenant == null ? SHARED : tenant;
    }

    /**
     * Creates or replaces a taxonomy (validated already) of {@code tenant} (null: the shared scope); true when it
     * replaced one. A preparation of the same name still running in the background is superseded: it stores nothing.
     */
    public Uni<Boolean> save(String tenant, String name, TaxonomyDefinition definition, String source) {
        return save(tenant, name, definition, source, null).map(Optional::orElseThrow);
    }

    /**
     * The same for a background preparation ({@code attempt}; null: none, the caller waits), which hears of each phase
     * as it starts. Empty when the attempt was superseded by a newer PUT meanwhile: then nothing is stored.
     */
    Uni<Optional<Boolean>> save(String tenant, String name, TaxonomyDefinition definition, String source, Attempt attempt) {
        List<String> categories = definition.categories().stream().map(String::strip).toList();
        Map<String, String> canonical = new LinkedHashMap<>();
        categories.forEach(c -> canonical.put(Taxonomy.key(c), c));
        ItemText itemText = definition.itemTextOrDefault();
        GroupBy groupBy = GroupBy.parse(definition.cascadeOrDefault().groupBy()).orElse(GroupBy.TEXT);
        List<Example> examples = definition.examplesOrEmpty().stream()
                .map(e -> new Example(e.readAs(itemText), e.sizes(), canonical.get(Taxonomy.key(e.category())), group(e, groupBy, itemText),
                        e.identity()))
                .toList();
        Map<String, String> descriptions = new LinkedHashMap<>();
        definition.descriptionsOrEmpty().forEach((c, d) -> descriptions.put(canonical.get(Taxonomy.key(c)), d.strip()));
        String sha = sha(definition);
        List<String> labels = LocalClassifier.labelTexts(categories, descriptions);
        java.util.function.Consumer<PreparationPhase> phase = attempt == null ? p -> { } : attempt.phase();
        return Uni.createFrom().completionStage(() -> local.embedExamplesAsync(examples.stream().map(Example::text).toList())
                        .thenCombine(local.labelsAsync(labels), Embedded::new)
                        .thenCompose(embedded -> {
                            phase.accept(PreparationPhase.CALIBRATING);
                            return calibrate(categories, examples, embedded, groupBy)
                                .thenApply(calibrated -> new Stored(new Header(scope(tenant), name, categories, descriptions,
                                        examples.size(), sha, LocalClassifier.MODEL, itemText, source,
                                        OffsetDateTime.now(ZoneOffset.UTC), definition.cascadeOrDefault().precision(),
                                        new Calibrated(calibrated.calibrations(), true), 0, examples.size(), groupBy,
                                        Cascade.Feedback.NONE),
                                        embedded, calibrated.head()));
                        }))
                .invoke(() -> phase.accept(PreparationPhase.STORING))
                .chain(stored -> pool.withTransaction(conn -> preparations.finish(conn, scope(tenant), name,
                                attempt == null ? null : attempt.id())
                        .chain(current -> current ? replace(conn, stored, examples).map(Optional::of)
                                : Uni.createFrom().item(Optional.<Boolean>empty()))));
    }

    /** A background preparation: its id, and what hears of each phase it starts. */
    record Attempt(java.util.UUID id, java.util.function.Consumer<PreparationPhase> phase) {
    }

    /** What keeps an example in one fold with others: its text, its name (a series) or its own group. */
    static String group(TaxonomyDefinition.Example e, GroupBy groupBy, ItemText itemText) {
        String text = e.readAs(itemText);
        return switch (groupBy) {
            case TEXT -> text;
            case NAME -> e.name() == null || e.name().isBlank() ? text : e.name().strip().toLowerCase(java.util.Locale.ROOT);
            case GROUP -> e.group() == null || e.group().isBlank() ? text : e.group().strip();
        };
    }

    /**
     * The cascade's calibrations over the examples just embedded, and the head where one pays; none without enough
     * groups to hold out.
     */
    private CompletableFuture<Calibrator.Calibrated> calibrate(List<String> categories, List<Example> examples,
            Embedded embedded, GroupBy groupBy) {
        if (examples.isEmpty()) {
            return CompletableFuture.completedFuture(Calibrator.Calibrated.NONE);
        }
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int c = 0; c < categories.size(); c++) {
            index.put(categories.get(c), c);
        }
        int[] exampleLabels = examples.stream().mapToInt(e -> index.get(e.category())).toArray();
        LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(categories, embedded.labels(), embedded.examples(),
                exampleLabels, examples.stream().map(Example::size).toArray(Dimensions[]::new));
        return calibrator.calibrate(new Calibrator.Examples(prepared,
                Calibrator.Examples.itemsOf(examples.stream().map(Example::identity).toList()),
                examples.stream().map(Example::group).toList(), groupBy));
    }

    /** The vectors a taxonomy is stored with: its examples', and its category labels'. */
    private record Embedded(float[][] examples, float[][] labels) {
    }

    /** A taxonomy ready to store: its header, its vectors and its head (null without one). */
    private record Stored(Header header, Embedded embedded, SoftmaxHead head) {
    }

    /**
     * An example as stored: the text the classifier read, its sizes, the category in the taxonomy's spelling, the
     * group it is calibrated in, and what makes it one item with its neighbours ({@link TaxonomyDefinition.Example#identity}).
     */
    private record Example(String text, Dimensions size, String category, String group, String identity) {

        Float[] sizeCm() {
            return TaxonomyStore.sizeCm(size);
        }
    }

    /** Sizes as a {@code real[]} column holds them, or null when the text gave none. */
    static Float[] sizeCm(Dimensions size) {
        if (!size.isKnown()) {
            return null;
        }
        float[] cm = size.cm();
        Float[] boxed = new Float[cm.length];
        for (int i = 0; i < cm.length; i++) {
            boxed[i] = cm[i];
        }
        return boxed;
    }

    private Uni<Boolean> replace(SqlConnection conn, Stored stored, List<Example> examples) {
        Header h = stored.header();
        Embedded embedded = stored.embedded();
        float[][] vectors = embedded.examples();
        String name = h.name();
        String tenant = h.tenant();
        // the revision goes on, and what feedback said of the model stays: it is of the model and this catalogue
        long[] revision = { 0 };
        int[] feedback = { 0, 0 };
        Uni<Boolean> existed = conn.preparedQuery(
                        "DELETE FROM taxonomy WHERE tenant = $1 AND name = $2 RETURNING revision, model_confirmed, model_corrected")
                .execute(Tuple.of(tenant, name)).map(rows -> {
                    rows.forEach(r -> {
                        revision[0] = r.getLong("revision");
                        feedback[0] = r.getInteger("model_confirmed");
                        feedback[1] = r.getInteger("model_corrected");
                    });
                    return rows.rowCount() > 0;
                });
        // what was added or learnt since the last PUT stays, but for categories this definition no longer has
        Uni<Integer> kept = conn.preparedQuery("""
                DELETE FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2 AND (source = 'put' OR NOT (category = ANY($3)))""")
                .execute(Tuple.of(tenant, name, h.categories().toArray(String[]::new)))
                .chain(() -> conn.preparedQuery("SELECT count(*) AS n FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2")
                        .execute(Tuple.of(tenant, name)))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
        int[] added = { 0 };
        // deferred: the count kept and the old revision are known only once the deletes above have run
        Uni<Void> header = Uni.createFrom().deferred(() -> conn.preparedQuery("""
                INSERT INTO taxonomy (tenant, name, categories, descriptions, example_count, content_sha256, model,
                                      item_text, source, updated_at, cascade_precision, calibration, head, revision,
                                      calibrated_examples, group_by, model_confirmed, model_corrected)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)""")
                .execute(Tuple.from(Arrays.asList(tenant, name, write(h.categories()), write(h.descriptions()), h.examples() + added[0], h.sha(),
                        h.model(), h.itemText().label(), h.source(), h.updatedAt(), h.cascadePrecision(),
                        // with examples, written even when empty (too few groups), so the file loader sees it is current
                        h.examples() == 0 ? null
                                : io.vertx.core.buffer.Buffer.buffer(CalibrationCodec.write(h.calibrated().calibrations())),
                        stored.head() == null ? null : io.vertx.core.buffer.Buffer.buffer(stored.head().write()),
                        revision[0] + 1, h.examples(), h.groupBy().wireName(), feedback[0], feedback[1])))
                .replaceWithVoid());
        // each chunk's rows are made when it is sent: made all at once, a 50,000-example taxonomy's rows held a second
        // copy of every vector beside the floats, and a 256 MB heap was the least that stored it
        Uni<Void> rows = Uni.createFrom().voidItem();
        for (int from = 0; from < examples.size(); from += INSERT_CHUNK) {
            int start = from;
            rows = rows.chain(() -> conn.preparedQuery("""
                    INSERT INTO taxonomy_example (tenant, taxonomy, idx, text, category, vector, size_cm, grp)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                    .executeBatch(exampleRows(tenant, name, examples, vectors, start)).replaceWithVoid());
        }
        for (int from = 0; from < embedded.labels().length; from += INSERT_CHUNK) {
            int start = from;
            rows = rows.chain(() -> conn.preparedQuery(
                    "INSERT INTO taxonomy_label (tenant, taxonomy, idx, vector) VALUES ($1, $2, $3, $4)")
                    .executeBatch(labelRows(tenant, name, embedded.labels(), start)).replaceWithVoid());
        }
        // what was kept goes after the definition's rows, which the calibration and head were made from: a pod takes the
        // first calibrated_examples rows to be the ones the head knows
        Uni<Void> keptLast = Uni.createFrom().deferred(() -> conn.preparedQuery("""
                UPDATE taxonomy_example SET id = nextval('taxonomy_example_id_seq')
                WHERE tenant = $1 AND taxonomy = $2 AND source <> 'put'""").execute(Tuple.of(tenant, name)).replaceWithVoid());
        Uni<Void> vectorsStored = rows;
        return existed.call(() -> kept.invoke(n -> added[0] = n)).call(() -> header).call(() -> vectorsStored)
                .call(() -> keptLast);
    }

    /**
     * Deletes {@code tenant}'s own taxonomy of that name (never a shared one, unless the tenant is null), and any
     * preparation of it still running, which then stores nothing; false when there was neither.
     */
    public Uni<Boolean> delete(String tenant, String name) {
        prepared.remove(new Scoped(scope(tenant), name));
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2")
                .execute(Tuple.of(scope(tenant), name))
                .chain(() -> preparations.finish(conn, scope(tenant), name))
                .chain(preparing -> conn.preparedQuery("DELETE FROM taxonomy WHERE tenant = $1 AND name = $2")
                        .execute(Tuple.of(scope(tenant), name)).map(rows -> rows.rowCount() > 0 || preparing)));
    }

    /** The header of the taxonomy {@code tenant} sees by that name: its own, else the shared one. */
    public Uni<Optional<Header>> header(String tenant, String name) {
        return pool.preparedQuery(HEADERS + VISIBLE).execute(Tuple.of(name, scope(tenant)))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(header(rows.iterator().next())) : Optional.empty());
    }

    /** Whether {@code tenant} has a taxonomy of its own by that name (a shared one does not count). */
    public Uni<Boolean> owns(String tenant, String name) {
        return header(tenant, name).map(found -> found.filter(h -> h.tenant().equals(scope(tenant))).isPresent());
    }

    /**
     * The taxonomies {@code tenant} sees (its own and the shared ones; every tenant's when {@code all}), by name,
     * without examples: what a person picks from.
     */
    public Uni<List<TaxonomyListing.Entry>> list(String tenant, boolean all) {
        Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> rows = all
                ? pool.query(HEADERS + " ORDER BY name, tenant").execute()
                : pool.preparedQuery(VISIBLE_HEADERS).execute(Tuple.of(scope(tenant)));
        return rows.map(found -> {
            List<TaxonomyListing.Entry> entries = new ArrayList<>();
            found.forEach(row -> {
                Header h = header(row);
                entries.add(new TaxonomyListing.Entry(h.name(), h.tenant().isEmpty() ? null : h.tenant(), TaxonomyStatus.READY, h.categories(),
                        h.examples(), h.source(), h.updatedAt().toInstant()));
            });
            return entries;
        });
    }

    /** The taxonomy {@code tenant} sees, with its cascade at {@code precision} (null: the taxonomy's own, or the default). */
    public Uni<Optional<TaxonomyView>> view(String tenant, String name, Double precision) {
        return header(tenant, name).chain(found -> found.isEmpty() ? Uni.createFrom().item(Optional.<TaxonomyView>empty())
                : pool.preparedQuery("""
                        SELECT category, source, count(*) AS n FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2
                        GROUP BY category, source""")
                        .execute(Tuple.of(found.get().tenant(), name)).map(rows -> {
                            Header h = found.get();
                            Map<String, Integer> counts = new LinkedHashMap<>();
                            h.categories().forEach(c -> counts.put(c, 0));
                            Map<String, Integer> bySource = new LinkedHashMap<>();
                            for (ExampleSource s : ExampleSource.values()) {
                                bySource.put(s.wireName(), 0);
                            }
                            rows.forEach(r -> {
                                counts.merge(r.getString("category"), r.getLong("n").intValue(), Integer::sum);
                                bySource.merge(r.getString("source"), r.getLong("n").intValue(), Integer::sum);
                            });
                            return Optional.of(new TaxonomyView(h.name(), TaxonomyStatus.READY, h.categories(), h.descriptions(),
                                    h.itemText().label(), h.examples(), counts, bySource, h.model(), h.source(), h.updatedAt().toInstant(),
                                    CascadeView.of(cascades.threshold(h.cascade(), precision), h.cascade()),
                                    new TaxonomyView.ModelFeedback(h.feedback().confirmed(), h.feedback().corrected(),
                                            Math.round(h.feedback().precision(review.modelPrecision()) * 10_000) / 10_000.0), null));
                        }));
    }

    /**
     * The taxonomy a request of {@code tenant} names, with its local model prepared from the stored examples; empty
     * when it sees none of that name.
     */
    @Override
    public Uni<Optional<Taxonomy>> resolve(String tenant, String name) {
        return onCallersContext(header(tenant, name).chain(found -> {
            if (found.isEmpty()) {
                prepared.remove(new Scoped(scope(tenant), name));
                return Uni.createFrom().item(Optional.<Taxonomy>empty());
            }
            Header h = found.get();
            Prepared cached = prepared.get(new Scoped(h.tenant(), name));
            if (cached == null || !cached.sha().equals(h.sha()) || cached.calibratedExamples() != h.calibratedExamples()) {
                return load(h).map(Optional::of);
            }
            if (cached.revision() == h.revision()) {
                return Uni.createFrom().item(Optional.of(cached.taxonomy()));
            }
            return loadAdded(h, cached).map(Optional::of);
        }));
    }

    /**
     * As {@link NamedTaxonomies#resolve(String, ValidatedRequest)}, but a taxonomy still being prepared in the background
     * (a PUT answered 202) is a 409 saying so, not an unknown name.
     */
    @Override
    public Uni<ValidatedRequest> resolve(String tenant, ValidatedRequest request) {
        if (request.taxonomyName() == null) {
            return Uni.createFrom().item(request);
        }
        String name = request.taxonomyName();
        return resolve(tenant, name).chain(found -> found.isPresent() ? Uni.createFrom().item(request.withTaxonomy(found.get()))
                : onCallersContext(preparations.visible(scope(tenant), name)).chain(pending -> {
                    if (pending.isPresent()) {
                        throw notReady(name, pending.get());
                    }
                    // no preparation either: it may have been stored (which ends its row) since the first read
                    return resolve(tenant, name).map(again -> request.withTaxonomy(again.orElseThrow(
                            () -> NamedTaxonomies.unknown(name))));
                }));
    }

    private static ConflictException notReady(String name, PreparationRows.Preparation p) {
        return new ConflictException("taxonomy-not-ready", p.phase() == PreparationPhase.FAILED
                ? "The taxonomy \"" + name + "\" could not be prepared: " + p.error()
                : "The taxonomy \"" + name + "\" is being prepared (" + p.phase().wireName() + ", since " + p.startedAt()
                        + "); GET /api/v1/taxonomies/" + name + " shows when it is ready.");
    }

    /**
     * Preparing runs on the classifier's threads; callers that go on to Hibernate Reactive (a job's submit) must
     * be back on their Vert.x context, so the answer is delivered there.
     */
    private static <T> Uni<T> onCallersContext(Uni<T> work) {
        Context context = Vertx.currentContext();
        return context == null ? work : work.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private Uni<Taxonomy> load(Header h) {
        return pool.preparedQuery("SELECT head FROM taxonomy WHERE tenant = $1 AND name = $2").execute(Tuple.of(h.tenant(), h.name()))
                .map(rows -> {
                    io.vertx.mutiny.core.buffer.Buffer bytes = rows.iterator().hasNext() ? rows.iterator().next().getBuffer("head") : null;
                    return Optional.ofNullable(bytes == null ? null : SoftmaxHead.read(bytes.getBytes()));
                })
                .chain(head -> load(h, head.orElse(null)));
    }

    private Uni<Taxonomy> load(Header h, SoftmaxHead head) {
        return pool.preparedQuery("SELECT vector FROM taxonomy_label WHERE tenant = $1 AND taxonomy = $2 ORDER BY idx")
                .execute(Tuple.of(h.tenant(), h.name())).chain(labelRows -> {
                    float[][] labels = null; // stored before labels were: embedded now
                    if (labelRows.rowCount() == h.categories().size()) {
                        labels = new float[labelRows.rowCount()][];
                        int i = 0;
                        for (Row row : labelRows) {
                            labels[i++] = floats(row.getBuffer("vector").getBytes());
                        }
                    }
                    return load(h, labels, head);
                });
    }

    private Uni<Taxonomy> load(Header h, float[][] labels, SoftmaxHead head) {
        long[] lastId = { 0 };
        return examples(h, 0L).chain(read -> {
                    lastId[0] = read.lastId();
                    // the head was trained on the first calibrated_examples rows; those after came since (learnt, added)
                    return Uni.createFrom().completionStage(() -> local.prepareAsync(h.categories(), h.descriptions(),
                            labels, read.vectors(), read.labels(), read.sizes(), head)
                            .thenApply(model -> model.withHeadOf(h.calibratedExamples())));
                }).map(model -> prepared(h, model, lastId[0]));
    }

    /**
     * The examples after a row id, read a page at a time: the client holds a whole result in memory, so one query for
     * 50,000 examples held every vector twice, as bytes and as floats.
     */
    private Uni<ExampleRows> examples(Header h, long after) {
        return pool.preparedQuery(EXAMPLE_ROWS + " LIMIT $4").execute(Tuple.of(h.tenant(), h.name(), after, (long) LOAD_PAGE))
                .chain(rows -> {
                    ExampleRows page = ExampleRows.of(rows, h.categories());
                    return rows.rowCount() < LOAD_PAGE ? Uni.createFrom().item(page)
                            : examples(h, page.lastId()).map(page::then);
                });
    }

    /** The examples of a taxonomy after a row id, in the order they were added. */
    private static final String EXAMPLE_ROWS = """
            SELECT id, category, vector, size_cm FROM taxonomy_example WHERE tenant = $1 AND taxonomy = $2 AND id > $3
            ORDER BY id""";

    private Taxonomy prepared(Header h, LocalClassifier.Prepared model, long lastId) {
        Taxonomy taxonomy = new Taxonomy(h.categories(), h.name(), h.descriptions(), model, h.itemText(), h.cascade(),
                h.tenant());
        prepared.put(new Scoped(h.tenant(), h.name()), new Prepared(h.sha(), h.revision(), h.calibratedExamples(), lastId,
                taxonomy));
        return taxonomy;
    }

    /**
     * Only the examples added since this pod prepared the taxonomy, appended to its copy: the nearest-neighbour vote
     * counts a new example for the very next item, with no retraining. When the rows do not add up to the stored count
     * (examples dropped, or added by another pod in between), the whole taxonomy is read again.
     */
    private Uni<Taxonomy> loadAdded(Header h, Prepared cached) {
        return pool.preparedQuery(EXAMPLE_ROWS).execute(Tuple.of(h.tenant(), h.name(), cached.lastId())).chain(rows -> {
            if (cached.examples() + rows.rowCount() != h.examples()) {
                return load(h);
            }
            ExampleRows read = ExampleRows.of(rows, h.categories());
            LocalClassifier.Prepared model = cached.taxonomy().local().withExamples(read.vectors(), read.labels(), read.sizes());
            return Uni.createFrom().item(prepared(h, model, Math.max(cached.lastId(), read.lastId())));
        });
    }

    private Header header(Row row) {
        try {
            return new Header(row.getString("tenant"), row.getString("name"), json.readValue(row.getString("categories"), LIST),
                    json.readValue(row.getString("descriptions"), MAP), row.getInteger("example_count"),
                    row.getString("content_sha256"), row.getString("model"),
                    ItemText.parse(row.getString("item_text")).orElse(ItemText.NAME_AND_DESCRIPTION), row.getString("source"),
                    row.getOffsetDateTime("updated_at"), row.getDouble("cascade_precision"), calibrated(row),
                    row.getLong("revision"), row.getInteger("calibrated_examples"),
                    GroupBy.parse(row.getString("group_by")).orElse(GroupBy.TEXT),
                    new Cascade.Feedback(row.getInteger("model_confirmed"), row.getInteger("model_corrected")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored taxonomy " + row.getString("name") + " is not valid JSON", e);
        }
    }

    /** The stored calibrations; none without any, or in a listing, which does not read them. */
    private static Calibrated calibrated(Row row) {
        if (row.getColumnIndex("calibration") < 0 || row.getValue("calibration") == null) {
            return Calibrated.NONE;
        }
        byte[] bytes = row.getBuffer("calibration").getBytes();
        return new Calibrated(CalibrationCodec.read(bytes), CalibrationCodec.isCurrent(bytes));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Dimensions dimensions(Float[] cm) {
        if (cm == null) {
            return Dimensions.NONE;
        }
        float[] unboxed = new float[cm.length];
        for (int i = 0; i < cm.length; i++) {
            unboxed[i] = cm[i];
        }
        return Dimensions.ofCm(unboxed);
    }

    private static List<Tuple> exampleRows(String tenant, String name, List<Example> examples, float[][] vectors,
            int from) {
        List<Tuple> batch = new ArrayList<>();
        for (int i = from; i < Math.min(examples.size(), from + INSERT_CHUNK); i++) {
            Example example = examples.get(i);
            batch.add(Tuple.from(Arrays.asList(tenant, name, i, example.text(), example.category(),
                    io.vertx.core.buffer.Buffer.buffer(bytes(vectors[i])), example.sizeCm(), example.group())));
        }
        return batch;
    }

    private static List<Tuple> labelRows(String tenant, String name, float[][] labels, int from) {
        List<Tuple> batch = new ArrayList<>();
        for (int i = from; i < Math.min(labels.length, from + INSERT_CHUNK); i++) {
            batch.add(Tuple.of(tenant, name, i, io.vertx.core.buffer.Buffer.buffer(bytes(labels[i]))));
        }
        return batch;
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
