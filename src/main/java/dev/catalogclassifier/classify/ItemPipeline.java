package dev.catalogclassifier.classify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.cache.ResultCache;
import dev.catalogclassifier.cascade.CascadeThreshold;
import dev.catalogclassifier.cascade.Cascades;
import dev.catalogclassifier.llm.LlmConfig;
import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.Usage;
import dev.catalogclassifier.llm.TenantShares;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import dev.catalogclassifier.review.Judge;
import dev.catalogclassifier.review.ReviewConfig;
import dev.catalogclassifier.tracing.Traces;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * The one way an item is classified, for streaming requests and jobs alike: validate → cache → local / cascade
 * (and, for a taxonomy too large for one prompt, the item's shortlist, and the walk down its tree when that misses)
 * → pack → model call → result. {@link #route} decides who answers an item from the {@link Plan} alone, so the
 * same item under the same plan takes the same route wherever it comes from.
 * <p>
 * A run is asynchronous: {@link #run} returns at once and hands each result to the sink the moment it is ready,
 * from whichever thread finished it. Every item is counted in flight from the moment the run takes it until its
 * result goes to the sink, in one place ({@code Run.finish}), whatever the route. Model calls run on virtual
 * threads of their own and take turns in the {@link dev.catalogclassifier.llm.ModelCallScheduler}; the cache and
 * the local classifier answer a whole run (or a chunk of it) in one go.
 */
@ApplicationScoped
public class ItemPipeline {

    /**
     * An item, its place (the index in the request, or the item's index in its job) and the trace context its span
     * starts under: the request's, or the job item's message.
     */
    public record Entry(int index, Item item, Context trace) {
        /** An entry of the current context: a request's, whose server span is current where its entries are made. */
        public Entry(int index, Item item) {
            this(index, item, Context.current());
        }
    }

    /** Who answers an item under a plan. */
    public enum Route {
        /** The item cannot be read in the plan's mode: rejected before anything is spent. */
        REJECTED,
        /** The in-process classifier, and only it. */
        LOCAL,
        /** The in-process classifier first; the LLM when it is unsure. */
        CASCADE,
        /** The LLM, reading the item's text (alone or in a pack). */
        LLM_TEXT,
        /** The LLM, shown the item's photo. */
        LLM_PHOTO
    }

    private static final AttributeKey<Long> PACK_FIRST = AttributeKey.longKey("classifier.pack.first");

    private final ItemClassifier items;
    private final PackClassifier packs;
    private final ResultCache cache;
    private final TenantShares shares;
    private final LocalClassifier local;
    private final ClassifierMetrics metrics;
    private final ShortlistConfig shortlists;
    private final Traces traces;
    private final Cascades cascades;
    private final PriceTable prices;
    private final ReviewConfig review;
    private final Lessons lessons;
    private final TaxonomyTrees trees;
    /** Model-call tasks one run may have started at once: as many as the process may have calls in flight. */
    private final int callsAtOnce;

    public ItemPipeline(ItemClassifier items, PackClassifier packs, ResultCache cache, LocalClassifier local,
            ClassifierMetrics metrics, LlmConfig llmConfig, ShortlistConfig shortlists,
            Traces traces, TenantShares shares, Cascades cascades, PriceTable prices, ReviewConfig review, Lessons lessons,
            TaxonomyTrees trees) {
        this.trees = trees;
        this.review = review;
        this.lessons = lessons;
        this.cascades = cascades;
        this.prices = prices;
        this.shares = shares;
        this.items = items;
        this.traces = traces;
        this.shortlists = shortlists;
        this.packs = packs;
        this.cache = cache;
        this.local = local;
        this.metrics = metrics;
        this.callsAtOnce = llmConfig.maxConcurrentCalls();
    }

    /**
     * The route of {@code item} under {@code plan}. The local classifier reads text, not photos: a cascade sends
     * an item it will be shown the photo of straight to the LLM, and a local plan rejects an item without text.
     */
    public static Route route(Plan plan, Item item) {
        if (ItemClassifier.precheckCode(item, plan.mode()) != null) {
            return Route.REJECTED;
        }
        boolean photo = ItemClassifier.usesPhoto(item, plan.mode());
        return switch (plan.strategy()) {
            case LOCAL -> item.hasText() ? Route.LOCAL : Route.REJECTED;
            case CASCADE -> photo ? Route.LLM_PHOTO : Route.CASCADE;
            case LLM -> photo ? Route.LLM_PHOTO : Route.LLM_TEXT;
        };
    }

    /** Classifies the entries; each result goes to {@code sink} once, the moment it is ready. Returns at once. */
    public void run(Plan plan, Work work, List<Entry> entries, Consumer<ItemResult> sink) {
        new Run(plan, work, sink).start(entries);
    }

    private final class Run {
        private final Plan plan;
        private final Work work;
        private final Consumer<ItemResult> sink;
        /** Result-cache keys by entry index, for items the LLM may be asked about. */
        private final Map<Integer, String> keys = new HashMap<>();
        /** Each entry's route, decided once when the run takes it. */
        private final Map<Integer, Route> routes = new HashMap<>();
        /** Model-call tasks not started yet, and how many run now. */
        private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicInteger running = new AtomicInteger();
        /** Each item's shortlist on a large taxonomy, or its likeliest categories when the plan explains. */
        private final Map<Integer, List<LocalClassifier.Candidate>> candidates = new ConcurrentHashMap<>();
        /** The local classifier's ranking of each item bound for the LLM: what its answer is judged and learnt by. */
        private final Map<Integer, LocalClassifier.Ranking> checks = new ConcurrentHashMap<>();
        /** Each open item's span, ended by {@link #finish}. */
        private final Map<Integer, Span> spans = new ConcurrentHashMap<>();
        /** How many categories an item's model call chooses from: 0 when it sees the whole taxonomy. */
        private final int shortlist;
        /** The whole taxonomy and its tree when items are shortlisted; null when the model sees the taxonomy whole. */
        private final Plan.Large large;
        /** How many likeliest categories the local step ranks for each item: the shortlist, all to judge, or explain's. */
        private final int ranked;
        /** How many of them a result shows when the plan explains. */
        private final int explainedCount;
        /** The taxonomy as cache keys name it: its prompt list, or, for a large one, that list's fingerprint. */
        private final String taxonomyKey;
        /**
         * Where a cascade settles items locally, for the precision the plan asks of it, and the mix of vote and head
         * the local step scores with.
         */
        private final CascadeThreshold cascade;
        /** How each result of the run is judged: its chance of being right, and whether to review it. */
        private final Judge judge;
        /** Whether this run's trusted answers of the model become examples of its taxonomy. */
        private final boolean learns;
        private CompletableFuture<LocalClassifier.Prepared> localModel;

        Run(Plan plan, Work work, Consumer<ItemResult> sink) {
            this.plan = plan;
            this.work = work;
            this.sink = sink;
            Taxonomy taxonomy = plan.taxonomy();
            this.shortlist = taxonomy.size() > shortlists.threshold() ? shortlists.size() : 0;
            this.explainedCount = plan.explain() ? Math.min(shortlists.size(), taxonomy.size()) : 0;
            this.taxonomyKey = plan.strategy() == Strategy.LOCAL ? null
                    : shortlist > 0 ? taxonomy.fingerprint() : taxonomy.asPromptList();
            this.large = shortlist > 0 && plan.strategy() != Strategy.LOCAL
                    ? new Plan.Large(taxonomy, trees.of(taxonomy, taxonomyKey)) : null;
            this.cascade = cascades.threshold(taxonomy.cascade(), plan.cascadePrecision());
            // the LLM's precision in this taxonomy: the configured prior, moved by what the caller confirmed and corrected
            this.judge = new Judge(cascade, taxonomy.cascade().feedback().precision(review.modelPrecision()));
            this.learns = review.learn() && taxonomy.learnsFrom(work.flow().tenant());
            // the LLM's answers are judged by the score the local classifier gives them: it scores every category of a
            // taxonomy small enough for one prompt, and a large one's shortlist is what the model chooses from. That
            // costs an embedding per item, more CPU than the rest of the item's way together, so only where the score
            // has a use: a calibration to state the answer's chance by, or a taxonomy that learns from the answer.
            boolean checked = plan.strategy() != Strategy.LOCAL && review.localCheck()
                    && (judge.statesChances() || learns);
            this.ranked = shortlist > 0 ? shortlist : checked ? taxonomy.size() : explainedCount;
        }

        /** The local classifier's view of the taxonomy, prepared once for the whole run. */
        private synchronized CompletableFuture<LocalClassifier.Prepared> localModel() {
            if (localModel == null) {
                localModel = plan.taxonomy().localModel(local);
            }
            return localModel;
        }

        void start(List<Entry> entries) {
            entries.forEach(e -> metrics.itemStarted());
            List<Entry> open = new ArrayList<>();
            for (Entry e : entries) {
                Route route = route(plan, e.item());
                routes.put(e.index(), route);
                spans.put(e.index(), traces.startItem(e.trace(), e.index(), e.item().id(), route.name().toLowerCase()));
                if (route == Route.REJECTED) {
                    finish(e, ItemClassifier.rejection(e.index(), e.item(), plan));
                    continue;
                }
                if (large != null && large.tree() == null && !e.item().hasText()) { // a shortlist is found from the item's words
                    finish(e, ItemResult.rejected(e.index(), e.item().id(), "shortlist_needs_text", "a taxonomy of "
                            + plan.taxonomy().size() + " categories whose names are not paths is shortlisted from the "
                            + "item's text; send its name"));
                    continue;
                }
                String key = route == Route.LOCAL || taxonomyKey == null ? null
                        : items.cacheKey(work.flow().tenant(), e.item(), taxonomyKey, plan.model(), plan.mode());
                if (key != null) {
                    keys.put(e.index(), key);
                }
                open.add(e);
            }
            if (!plan.useCache() || keys.isEmpty()) {
                afterCache(open, Map.of());
                return;
            }
            // one lookup for the whole run, on a virtual thread: a request starts on the event loop, a job on its own
            Thread.ofVirtual().name("cache-lookup").start(() -> afterCache(open, cache.lookupBlocking(keys.values())));
        }

        private void afterCache(List<Entry> open, Map<String, ResultCache.Hit> hits) {
            List<Entry> localFirst = new ArrayList<>();
            List<Entry> llm = new ArrayList<>();
            for (Entry e : open) {
                String key = keys.get(e.index());
                ResultCache.Hit hit = key == null ? null : hits.get(key);
                Route route = routes.get(e.index());
                if (hit != null) {
                    finish(e, ItemResult.fromCache(e.index(), e.item().id(), hit.category(), hit.confidence(), hit.model())
                            .judged(judge.cached(hit.chance())));
                } else if (route == Route.LOCAL || route == Route.CASCADE || ranked > 0 && e.item().hasText()) {
                    localFirst.add(e);
                } else {
                    llm.add(e);
                }
            }
            toLlm(llm);
            for (int from = 0; from < localFirst.size(); from += LocalClassifier.CHUNK) {
                locally(localFirst.subList(from, Math.min(localFirst.size(), from + LocalClassifier.CHUNK)));
            }
        }

        /**
         * One batched call of the local classifier, which also ranks each item's likeliest categories when the run
         * needs them. In a cascade, what it is unsure of goes on to the LLM; items bound for the LLM anyway go on with
         * their shortlist.
         */
        private void locally(List<Entry> chunk) {
            long start = System.nanoTime();
            Taxonomy taxonomy = plan.taxonomy();
            // scored with the mix of vote and head the calibration chose for the plan's precision, in every route
            local.rankAsync(localModel(), chunk.stream().map(e -> taxonomy.localInput(e.item())).toList(), ranked,
                    cascade.voteShare(), work.flow().tenant(), work.flow())
                    .whenComplete((rankings, error) -> {
                        long latency = (System.nanoTime() - start) / 1_000_000;
                        List<Entry> onward = new ArrayList<>();
                        for (int c = 0; c < chunk.size(); c++) {
                            Entry e = chunk.get(c);
                            LocalClassifier.Ranking r = rankings == null ? null : rankings.get(c);
                            Route route = routes.get(e.index());
                            if (r != null && ranked > 0) {
                                candidates.put(e.index(), r.candidates());
                                if (route != Route.LOCAL) {
                                    checks.put(e.index(), r);
                                }
                            }
                            LocalClassifier.Prediction p = r == null ? null : r.prediction();
                            if (p != null && (route == Route.LOCAL || route == Route.CASCADE && cascade.settles(p.confidence()))) {
                                ItemResult result = ItemResult.local(e.index(), e.item().id(), p.category(), p.confidence(), latency)
                                        .judged(judge.local(p.confidence()));
                                finish(e, explained(e, route == Route.CASCADE ? result.withSaving(saving(e, p)) : result));
                            } else if (route != Route.LOCAL && (r != null || shortlist == 0)) {
                                onward.add(e);
                            } else {
                                Log.errorf(error, "Local classification of item %d failed", e.index());
                                finish(e, ItemResult.localFailure(e.index(), e.item().id()));
                            }
                        }
                        toLlm(onward);
                    });
        }

        /**
         * What settling an item locally saved: its calibrated chance of being right, and the model call it would
         * have been, priced as the price table estimates a question about it (its text and the categories it would
         * have been shown: the taxonomy, or its shortlist).
         */
        private ItemResult.Saving saving(Entry e, LocalClassifier.Prediction p) {
            int categories = shortlist == 0 ? plan.taxonomy().asPromptList().length()
                    : candidates.getOrDefault(e.index(), List.of()).stream().mapToInt(c -> c.category().length() + 1).sum();
            Usage call = prices.estimateUsage(plan.model(), categories + ItemClassifier.describe(e.item()).length(), false);
            return new ItemResult.Saving(cascade.chanceRight(p.confidence()), call.promptTokens() + call.completionTokens(),
                    call.costUsd());
        }

        /**
         * The plan of one item's model call: the whole taxonomy, or only the item's shortlist (the pack's, together),
         * empty for an item without one (a photo without text), which the model finds by walking the tree.
         */
        private Plan planFor(List<Entry> asked) {
            if (large == null) {
                return plan;
            }
            Set<String> chosen = new LinkedHashSet<>();
            asked.forEach(e -> candidates.getOrDefault(e.index(), List.of()).forEach(c -> chosen.add(c.category())));
            return plan.shortlisted(plan.taxonomy().restrictedTo(chosen), large);
        }

        /** The result with its candidates, when the plan explains and the item was ranked. */
        private ItemResult explained(Entry e, ItemResult result) {
            List<LocalClassifier.Candidate> ranking = candidates.get(e.index());
            return plan.explain() && ranking != null
                    ? result.withCandidates(ranking.subList(0, Math.min(ranking.size(), shortlist > 0 ? shortlist : explainedCount)))
                    : result;
        }

        /** Text items go in packs when the plan packs; photos and single text items alone. */
        private void toLlm(List<Entry> entries) {
            List<Entry> packable = new ArrayList<>();
            for (Entry e : entries) {
                if (plan.pack() > 1 && !ItemClassifier.usesPhoto(e.item(), plan.mode())) {
                    packable.add(e);
                } else {
                    launch(() -> within(e, () -> alone(e)));
                }
            }
            for (int from = 0; from < packable.size(); from += plan.pack()) {
                List<Entry> pack = List.copyOf(packable.subList(from, Math.min(packable.size(), from + plan.pack())));
                launch(() -> within(pack.getFirst(), () -> packed(pack)));
            }
        }

        /**
         * Starts a model-call task on a virtual thread of its own, at most {@link #callsAtOnce} of this run at a
         * time: a run's calls take turns in the scheduler with every other run's, but preparing a prompt costs
         * CPU, and 3,000 threads preparing at once would keep a small request's few from even reaching their turn.
         */
        private void launch(Runnable task) {
            waiting.add(task);
            drain();
        }

        private void drain() {
            while (!waiting.isEmpty()) {
                int now = running.get();
                if (now >= callsAtOnce) {
                    return;
                }
                if (running.compareAndSet(now, now + 1)) {
                    Runnable task = waiting.poll();
                    if (task == null) {
                        running.decrementAndGet();
                        continue;
                    }
                    Thread.ofVirtual().name("model-call").start(() -> {
                        try {
                            task.run();
                        } finally {
                            running.decrementAndGet();
                            drain();
                        }
                    });
                }
            }
        }

        /**
         * Runs a model-call task under the item's span, so the provider call's span is its child. A pack's call runs
         * under its first item's span; the others' spans name that item ({@code classifier.pack.first}).
         */
        private void within(Entry e, Runnable task) {
            Span span = spans.get(e.index());
            try (Scope scope = span == null ? Context.current().makeCurrent() : span.makeCurrent()) {
                task.run();
            }
        }

        /** Fetches and checks a photo on this thread, before the call takes its turn; then asks. */
        private void alone(Entry e) {
            ItemResult result;
            try {
                result = explained(e, askAlone(e));
            } catch (RuntimeException failure) {
                result = internalError(e, failure);
            }
            answered(e, result);
        }

        private ItemResult askAlone(Entry e) {
            if (work.isCancelled()) {
                return ItemResult.cancelled(e.index(), e.item().id(), new ItemResult.Outcome(0, 0, plan.model(), null));
            }
            Plan asked = planFor(List.of(e));
            if (!ItemClassifier.usesPhoto(e.item(), plan.mode())) {
                return items.classify(e.index(), e.item(), asked, work, null);
            }
            ItemClassifier.Photo photo = items.photo(e.index(), e.item(), plan.detail());
            return photo.rejected() != null ? photo.rejected() : items.classify(e.index(), e.item(), asked, work, photo.ready());
        }

        private void packed(List<Entry> pack) {
            pack.forEach(e -> span(e).setAttribute(PACK_FIRST, pack.getFirst().index()));
            List<ItemResult> results = askPacked(pack);
            IntStream.range(0, pack.size()).forEach(i -> {
                answered(pack.get(i), explained(pack.get(i), results.get(i)));
            });
        }

        private List<ItemResult> askPacked(List<Entry> pack) {
            try {
                return work.isCancelled()
                        ? pack.stream().map(e -> ItemResult.cancelled(e.index(), e.item().id(),
                                new ItemResult.Outcome(0, 0, plan.model(), null))).toList()
                        : packs.classify(pack.stream().map(Entry::index).toList(), pack.stream().map(Entry::item).toList(),
                                planFor(pack), work);
            } catch (RuntimeException failure) {
                return pack.stream().map(e -> internalError(e, failure)).toList();
            }
        }

        /** An answer of the model: judged, learnt from when trusted, kept in the cache, and out. */
        private void answered(Entry e, ItemResult result) {
            LocalClassifier.Ranking check = checks.remove(e.index());
            ItemResult judged = result;
            if (result.status() == ItemStatus.OK) {
                Double score = check == null ? null : check.scoreOf(result.category());
                judged = result.judged(judge.model(score));
                if (learns && judge.learnable(score)) {
                    lessons.learn(plan.taxonomy(), new Lessons.Lesson(e.item().name(), e.item().description(), check.vector(),
                            result.category(), work.flow().kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + work.flow().id()));
                }
            }
            remember(e, judged);
            finish(e, judged);
        }

        private void remember(Entry e, ItemResult result) {
            String key = keys.get(e.index());
            if (key != null && result.status() == ItemStatus.OK) {
                cache.remember(key, result.category(), result.confidence(), result.model(), result.chance());
            }
        }

        private ItemResult internalError(Entry e, RuntimeException failure) {
            String id = UUID.randomUUID().toString();
            Log.errorf(failure, "Item %d failed unexpectedly (%s)", e.index(), id);
            return ItemResult.failed(e.index(), e.item().id(), "internal_error",
                    "something went wrong on our side; quote " + id + " when reporting it",
                    new ItemResult.Outcome(0, 0, plan.model(), null));
        }

        private Span span(Entry e) {
            return spans.getOrDefault(e.index(), Span.getInvalid());
        }

        /** Ends the item's span with what became of it. */
        private void endSpan(Entry e, ItemResult result) {
            Span span = spans.remove(e.index());
            if (span == null) {
                return;
            }
            span.setAttribute("classifier.item.status", result.outcome());
            span.setAttribute("classifier.attempts", result.attempts());
            if (result.model() != null) {
                span.setAttribute("classifier.model", result.model());
            }
            if (result.error() != null) {
                span.setStatus(result.status() == ItemStatus.FAILED ? StatusCode.ERROR : StatusCode.UNSET, result.error().code());
                span.setAttribute("classifier.error.code", result.error().code());
            }
            span.end();
        }

        /** The one exit of every item: its span and metrics, then the caller's sink. */
        private void finish(Entry e, ItemResult result) {
            endSpan(e, result);
            if (result.review() != null) {
                metrics.judged(plan.taxonomy().name(), result.forReview());
            }
            try {
                String mode = ItemClassifier.usesPhoto(e.item(), plan.mode()) || plan.mode() == Mode.IMAGE || !e.item().hasText()
                        ? "image" : "text";
                // timed when something classified it: the model or the in-process classifier (not the cache)
                boolean classified = result.attempts() > 0 || LocalClassifier.MODEL.equals(result.model());
                metrics.itemCompleted(mode, result.outcome(), shares.tag(work.flow().tenant()), classified ? Duration.ofMillis(result.latencyMs()) : null);
            } finally {
                metrics.itemFinished();
            }
            sink.accept(result);
        }
    }
}
