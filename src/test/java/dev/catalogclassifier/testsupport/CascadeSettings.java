package dev.catalogclassifier.testsupport;

import dev.catalogclassifier.cascade.CascadeConfig;

/** {@link CascadeConfig} for a calibrator built outside Quarkus (unit tests, benchmarks): the service's defaults but these. */
public final class CascadeSettings {

    private CascadeSettings() {
    }

    /** {@code threads} 0: one per core, as the service. */
    public static CascadeConfig of(int folds, long headMaxSize, int threads) {
        return of(folds, headMaxSize, threads, 5000);
    }

    /** ... and calibrating on a sample of {@code maxExamples} when there are more. */
    public static CascadeConfig of(int folds, long headMaxSize, int threads, int maxExamples) {
        return new CascadeConfig() {
            public double precision() {
                return 0.97;
            }

            public double zeroShotThreshold() {
                return 0.9;
            }

            public int folds() {
                return folds;
            }

            public int maxExamples() {
                return maxExamples;
            }

            public long headMaxSize() {
                return headMaxSize;
            }

            public int threads() {
                return threads;
            }
        };
    }
}
