package dev.catalogclassifier.taxonomy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.catalogclassifier.classify.Lessons;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.WriteBehind;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import dev.catalogclassifier.review.ReviewConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Learns the answers of the model that the service trusts into the taxonomy they were asked for, in the background:
 * a result never waits for it. Lessons are written in batches (one transaction per taxonomy per batch); once enough
 * examples were added since the last calibration ({@link ReviewConfig#recalibrateAfter()}), the taxonomy is calibrated
 * again on a virtual thread of its own, one at a time per taxonomy on this pod, and the new calibration reaches every
 * pod through the taxonomy's revision.
 */
@ApplicationScoped
public class TaxonomyLearning implements Lessons {

    private static final int WRITE_BATCH = 200;

    private final TaxonomyExamples examples;
    private final ReviewConfig config;
    private final ClassifierMetrics metrics;
    /** Taxonomies being calibrated again on this pod, by scope and name. */
    private final Set<List<String>> calibrating = ConcurrentHashMap.newKeySet();
    private WriteBehind<Pending> writer;

    private record Pending(String scope, String name, Lesson lesson) {
    }

    public TaxonomyLearning(TaxonomyExamples examples, ReviewConfig config, ClassifierMetrics metrics) {
        this.examples = examples;
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent start) {
        // lessons not yet written when the service stops are not learnt: the next answer about the series teaches again
        writer = new WriteBehind<>("taxonomy-learning", WRITE_BATCH, this::write, abandoned -> { });
    }

    void stop(@Observes ShutdownEvent stop) {
        writer.stop();
    }

    @Override
    public void learn(Taxonomy taxonomy, Lesson lesson) {
        writer.add(new Pending(taxonomy.scope(), taxonomy.name(), lesson));
    }

    @Override
    public Uni<Integer> taught(String tenant, String taxonomy, List<Taught> taught) {
        return examples.own(tenant, taxonomy).chain(found -> {
            if (found.isEmpty() || taught.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            TaxonomyStore.Header h = found.get();
            Uni<TaxonomyExamples.Counts> done = Uni.createFrom().nullItem();
            for (boolean confirmed : new boolean[] { false, true }) {
                List<TaxonomyExamples.Incoming> some = taught.stream().filter(t -> t.confirmed() == confirmed)
                        .map(t -> new TaxonomyExamples.Incoming(new TaxonomyDefinition.Example(null, t.name(), t.description(),
                                t.category(), null), null, t.origin())).toList();
                if (!some.isEmpty()) {
                    done = done.chain(() -> examples.add(h, some, confirmed ? ExampleSource.CONFIRMED : ExampleSource.CALLER));
                }
            }
            int confirmed = (int) taught.stream().filter(t -> t.ofModel() && t.confirmed()).count();
            int corrected = (int) taught.stream().filter(t -> t.ofModel() && !t.confirmed()).count();
            return done.invoke(counts -> {
                if (counts != null) {
                    afterChange(tenant, taxonomy, counts);
                }
            }).call(() -> confirmed + corrected == 0 ? Uni.createFrom().voidItem()
                    : examples.countFeedback(h, confirmed, corrected)).replaceWith(taught.size());
        });
    }

    private void write(List<Pending> batch) {
        Map<List<String>, List<TaxonomyExamples.Incoming>> byTaxonomy = new LinkedHashMap<>();
        for (Pending p : batch) {
            Lesson l = p.lesson();
            byTaxonomy.computeIfAbsent(List.of(p.scope(), p.name()), k -> new java.util.ArrayList<>())
                    .add(new TaxonomyExamples.Incoming(new TaxonomyDefinition.Example(null, l.name(), l.description(),
                            l.category(), null), l.vector(), l.origin()));
        }
        for (var entry : byTaxonomy.entrySet()) {
            List<String> key = entry.getKey();
            List<TaxonomyExamples.Incoming> lessons = entry.getValue();
            try {
                var held = Blocking.await(() -> examples.own(key.get(0), key.get(1)));
                if (held.isPresent()) {
                    TaxonomyExamples.Counts counts = Blocking.await(() -> examples.add(held.get(), lessons, ExampleSource.MODEL));
                    metrics.examplesLearnt(key.get(1), lessons.size());
                    afterChange(key.get(0), key.get(1), counts);
                }
            } catch (RuntimeException e) {
                Log.warnf("%d answers of the model were not learnt into taxonomy %s: %s", lessons.size(), key.get(1), e.toString());
            } catch (InterruptedException e) { // stopping: the writer hands what is left to its abandon hook
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * After a PUT that kept examples added or learnt before it: its calibration and head were made from the definition's
     * examples alone, so it is calibrated again over all of them.
     */
    public void afterPut(String scope, String name) {
        examples.own(scope, name).subscribe().with(found -> found.ifPresent(h ->
                afterChange(scope, name, new TaxonomyExamples.Counts(h.examples(), h.calibratedExamples()))),
                failure -> Log.debugf("Taxonomy %s: no calibration again after its PUT: %s", name, failure.toString()));
    }

    /**
     * Calibrates a taxonomy again, in the background, when its examples moved far enough from the ones its calibration
     * was made from: {@link ReviewConfig#recalibrateAfter()} added, or that share of them, or any dropped.
     */
    public void afterChange(String scope, String name, TaxonomyExamples.Counts counts) {
        int calibrated = counts.calibratedExamples();
        int moved = Math.abs(counts.examples() - calibrated);
        boolean dropped = counts.examples() < calibrated;
        if (!dropped && moved < Math.max(config.recalibrateAfter(), config.recalibrateShare() * calibrated)) {
            return;
        }
        List<String> key = List.of(TaxonomyStore.scope(scope), name);
        if (!calibrating.add(key)) {
            return;
        }
        Thread.ofVirtual().name("recalibrate-" + name).start(() -> {
            try {
                var held = Blocking.await(() -> examples.own(scope, name));
                if (held.isPresent()) {
                    Blocking.await(() -> examples.recalibrate(held.get()), TaxonomyStore.PREPARATION_WAIT);
                }
            } catch (RuntimeException e) {
                Log.warnf("Taxonomy %s was not calibrated again: %s", name, e.toString());
            } catch (InterruptedException e) {
                Log.infof("Taxonomy %s: calibrating again was stopped by the shutdown", name);
            } finally {
                calibrating.remove(key);
            }
        });
    }
}
