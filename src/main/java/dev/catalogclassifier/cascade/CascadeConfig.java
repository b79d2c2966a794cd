package dev.catalogclassifier.cascade;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the cascade is calibrated per taxonomy, and what it promises by default. */
@ConfigMapping(prefix = "classifier.cascade")
public interface CascadeConfig {

    /**
     * The precision of the items settled locally that a cascade aims at when neither the request nor the taxonomy
     * names one ({@code "cascade": {"precision": …}}).
     */
    @WithDefault("0.97")
    double precision();

    /**
     * Where a taxonomy without examples (or an inline list) settles items locally: it cannot be calibrated, so this
     * is deliberately high, and most of its items go to the LLM. On ikea-dev, 0.9 settles 12-25 % of the items at
     * 94-95 % precision (docs/benchmarks.md).
     */
    @WithDefault("0.9")
    double zeroShotThreshold();

    /** Folds of the grouped cross-validation a taxonomy is calibrated with. */
    @WithDefault("5")
    int folds();

    /**
     * Examples cross-validated at most; a taxonomy with more is calibrated on a sample of whole groups this size
     * (and says so), which keeps a PUT within about a minute on 2 cores.
     */
    @WithDefault("5000")
    int maxExamples();

    /**
     * The largest taxonomy, in examples × categories, that gets a supervised head beside the neighbour vote. Training
     * grows with that product: 2,300 of ikea-dev's examples × 17 categories (39,000) calibrate with their six heads
     * in about 9 s on 2 cores (docs/benchmarks.md), so the bound costs about half a minute. Larger taxonomies are
     * scored by the vote alone. 0 trains none.
     */
    @WithDefault("150000")
    long headMaxSize();

    /** Threads calibrating; 0 means one per core. A pool of its own, so calibrating does not hold up items. */
    @WithDefault("0")
    int threads();
}
