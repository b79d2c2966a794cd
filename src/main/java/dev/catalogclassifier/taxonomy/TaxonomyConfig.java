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
     * Taxonomy files (JSON, the body of {@code PUT /api/v1/taxonomies/{name}}) stored at start-up under their
     * file name without {@code .json}, for teams that keep the taxonomy in git. An unchanged file is skipped;
     * a changed one replaces the stored taxonomy; a broken one is logged and skipped, so the service still starts.
     */
    Optional<List<Path>> files();
}
