package dev.catalogclassifier.taxonomy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.problem.InvalidRequestException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Stores the taxonomy files named by {@code classifier.taxonomies.files} once the database is ready: each under
 * its file name without {@code .json}. Several pods may load the same file; a file whose content is already
 * stored is skipped, so restarts do not embed its examples again.
 */
@ApplicationScoped
public class TaxonomyFiles {

    private final TaxonomyConfig config;
    private final TaxonomyStore store;
    private final TaxonomyValidator validator;
    private final ObjectMapper json;

    public TaxonomyFiles(TaxonomyConfig config, TaxonomyStore store, TaxonomyValidator validator, ObjectMapper json) {
        this.config = config;
        this.store = store;
        this.validator = validator;
        this.json = json;
    }

    void load(@ObservesAsync Database.Ready ready) {
        for (Path file : config.files().orElse(List.of())) {
            try {
                Blocking.await(() -> load(file), TaxonomyStore.PREPARATION_WAIT);
            } catch (RuntimeException e) {
                Log.errorf("Taxonomy file %s was not loaded: %s", file, describe(e));
            } catch (InterruptedException e) { // the service is stopping before it was ready
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stores one file unless its content is already stored; emits whether it stored it. */
    Uni<Boolean> load(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        TaxonomyDefinition definition;
        try {
            definition = json.readValue(file.toFile(), TaxonomyDefinition.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read it as a taxonomy (" + e.getMessage() + ")", e);
        }
        validator.validate(name, definition);
        String sha = store.sha(definition);
        return store.header(TaxonomyStore.SHARED, name).chain(stored -> {
            // one stored with examples but no calibration of this release's format (before calibration, or before the
            // supervised head) is stored again, to calibrate it
            boolean calibrated = stored.isPresent() && (stored.get().examples() == 0 || stored.get().calibrated().current());
            if (stored.isPresent() && stored.get().sha().equals(sha) && calibrated) {
                Log.infof("Taxonomy %s from %s is already stored, unchanged", name, file);
                return Uni.createFrom().item(false);
            }
            return store.save(TaxonomyStore.SHARED, name, definition, "file").invoke(() -> Log.infof(
                    "Taxonomy %s stored from %s: %d categories, %d examples", name, file,
                    definition.categories().size(), definition.examplesOrEmpty().size())).replaceWith(true);
        });
    }

    private static String describe(RuntimeException e) {
        if (e instanceof InvalidRequestException invalid) {
            return invalid.errors().stream().limit(5).map(f -> f.field() + " " + f.message()).toList().toString();
        }
        return e.getMessage();
    }
}
