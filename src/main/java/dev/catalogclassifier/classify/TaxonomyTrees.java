package dev.catalogclassifier.classify;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The trees of the large taxonomies in use, built once per content rather than once per run: a job runs its items in
 * many runs, and Google's 5,595 paths take milliseconds to split. Few large taxonomies are in use at once; the cache
 * is emptied when it holds more than {@link #KEPT}, so an edited taxonomy's old tree does not stay.
 */
@ApplicationScoped
public class TaxonomyTrees {

    private static final int KEPT = 32;

    private final Map<String, Optional<TaxonomyTree>> byFingerprint = new ConcurrentHashMap<>();

    /** The tree of {@code taxonomy}, whose content's fingerprint is {@code fingerprint}; null when it cannot be walked. */
    public TaxonomyTree of(Taxonomy taxonomy, String fingerprint) {
        if (byFingerprint.size() > KEPT) {
            byFingerprint.clear();
        }
        return byFingerprint.computeIfAbsent(fingerprint, k -> Optional.ofNullable(TaxonomyTree.of(taxonomy.categories())))
                .orElse(null);
    }
}
