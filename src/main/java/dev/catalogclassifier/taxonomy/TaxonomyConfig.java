package dev.catalogclassifier.taxonomy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Named taxonomies: their limits, and the files loaded at start-up. */
@ConfigMapping(prefix = "classifier.taxonomies")
public interface TaxonomyConfig {

    /**
     * Most labelled examples in one taxonomy. 50,000 took 10.5 s to PUT on 2 cores, and requests against them
     * classify at 136 items/s (docs/benchmarks.md): the vote scans every example.
     */
    @WithDefault("50000")
    int maxExamples();

    /**
     * The most texts (categories plus examples) a PUT embeds while the caller waits ({@code CLASSIFIER_TAXONOMIES_INLINE_TEXTS}):
     * about 2–3 s on 2 cores. A larger taxonomy is answered 202 at once and prepared in the background; its status shows
     * on GET, and requests may name it once it is {@code ready}.
     */
    @WithDefault("1000")
    int inlineTexts();

    /**
     * How often each pod looks for background preparations whose pod is gone, to take them over
     * ({@code CLASSIFIER_TAXONOMIES_PREPARATION_SWEEP}).
     */
    @WithDefault("15s")
    java.time.Duration preparationSweep();

    /**
     * Taxonomy files (JSON, the body of {@code PUT /api/v1/taxonomies/{name}}) stored at start-up under their
     * file name without {@code .json}, for teams that keep the taxonomy in git. An unchanged file is skipped;
     * a changed one replaces the stored taxonomy; a broken one is logged and skipped, so the service still starts.
     */
    Optional<List<Path>> files();
}
