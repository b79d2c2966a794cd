package dev.catalogclassifier.taxonomy;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.job.JobsConfig;
import dev.catalogclassifier.job.PodIdentity;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Taxonomies prepared in the background: a PUT whose embedding would keep the caller waiting (more texts than
 * {@link TaxonomyConfig#inlineTexts()}) is answered 202 at once, and the taxonomy is embedded, calibrated and stored on a
 * virtual thread here. The row in {@code taxonomy_preparation} shows how far it got (on every pod), and holds the
 * definition: when this pod dies, another takes the preparation over at its next sweep. Requests naming the taxonomy
 * answer 409 until it is stored; a taxonomy being replaced keeps answering with its stored version meanwhile.
 */
@ApplicationScoped
public class TaxonomyPreparations {

    private final TaxonomyStore store;
    private final PreparationRows rows;
    private final TaxonomyLearning learning;
    private final ObjectMapper json;
    private final String pod;
    private final JobsConfig jobs;
    private final Database database;

    public TaxonomyPreparations(TaxonomyStore store, PreparationRows rows, TaxonomyLearning learning, ObjectMapper json,
            PodIdentity pod, JobsConfig jobs, Database database) {
        this.store = store;
        this.rows = rows;
        this.learning = learning;
        this.json = json;
        this.pod = pod.id();
        this.jobs = jobs;
        this.database = database;
    }

    /** Whether a PUT of {@code definition} is prepared in the background rather than while the caller waits. */
    public static boolean inBackground(TaxonomyDefinition definition, TaxonomyConfig config) {
        return definition.categories().size() + definition.examplesOrEmpty().size() > config.inlineTexts();
    }

    /** Records the preparation of {@code owner}'s taxonomy and starts it; the returned row is what GET shows of it. */
    public io.smallrye.mutiny.Uni<PreparationRows.Preparation> start(String owner, String name, TaxonomyDefinition definition) {
        PreparationRows.Preparation p = new PreparationRows.Preparation(TaxonomyStore.scope(owner), name, UUID.randomUUID(),
                write(definition), PreparationPhase.EMBEDDING, definition.categories().size(),
                definition.examplesOrEmpty().size(), java.time.Instant.now(), null);
        return rows.begin(p, pod).invoke(() -> launch(p, definition)).replaceWith(p);
    }

    /** Takes over the preparations of pods that are gone, once this pod's database is ready and then every sweep. */
    void started(@ObservesAsync Database.Ready ready) {
        sweep();
    }

    @Scheduled(every = "${classifier.taxonomies.preparation-sweep:15s}", delayed = "${classifier.taxonomies.preparation-sweep:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!database.ready()) {
            return;
        }
        rows.takeOver(pod, jobs.leaseTtl()).subscribe().with(found -> found.forEach(p -> {
            Log.infof("Taxonomy %s: preparation taken over from a pod that is gone", p.name());
            launch(p, read(p.definition()));
        }), e -> Log.debugf("Taxonomy preparations not swept: %s", e.toString()));
    }

    private void launch(PreparationRows.Preparation p, TaxonomyDefinition definition) {
        String owner = p.tenant().isEmpty() ? null : p.tenant();
        TaxonomyStore.Attempt attempt = new TaxonomyStore.Attempt(p.attempt(),
                phase -> rows.phase(p.tenant(), p.name(), p.attempt(), phase, null));
        Thread.ofVirtual().name("taxonomy-" + p.name()).start(() -> {
            long start = System.nanoTime();
            try {
                var saved = Blocking.await(() -> store.save(owner, p.name(), definition, "api", attempt),
                        TaxonomyStore.PREPARATION_WAIT);
                if (saved.isPresent()) {
                    learning.afterPut(owner, p.name());
                    Log.infof("Taxonomy %s prepared in %d ms (%d categories, %d examples)", p.name(),
                            (System.nanoTime() - start) / 1_000_000, p.categories(), p.examples());
                } else {
                    Log.infof("Taxonomy %s: a newer PUT or a DELETE ended this preparation; nothing stored", p.name());
                }
            } catch (RuntimeException e) {
                Log.warnf(e, "Taxonomy %s could not be prepared", p.name());
                rows.phase(p.tenant(), p.name(), p.attempt(), PreparationPhase.FAILED,
                        "the preparation failed (" + e.getClass().getSimpleName() + "); PUT the taxonomy again");
            } catch (InterruptedException e) { // stopping: its lease runs out and another pod takes it over
                Log.infof("Taxonomy %s: preparation stopped by the shutdown, left to another pod", p.name());
            }
        });
    }

    private String write(TaxonomyDefinition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The definition a preparation holds, as its PUT sent it. */
    TaxonomyDefinition definition(PreparationRows.Preparation p) {
        return read(p.definition());
    }

    private TaxonomyDefinition read(String definition) {
        try {
            return json.readValue(definition, TaxonomyDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
