package dev.catalogclassifier.cascade;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a cascade settles items locally: for the precision the request names, else its taxonomy's, else the
 * service's ({@link CascadeConfig#precision()}), read from the taxonomy's calibration; a taxonomy without one settles
 * only what the local classifier is {@link CascadeConfig#zeroShotThreshold()} sure of.
 */
@ApplicationScoped
public class Cascades {

    private final CascadeConfig config;

    public Cascades(CascadeConfig config) {
        this.config = config;
    }

    /** {@code requested}: the request's or job's precision, or null. */
    public CascadeThreshold threshold(Cascade cascade, Double requested) {
        double target = requested != null ? requested : cascade.precision() != null ? cascade.precision() : config.precision();
        return cascade.calibration() != null ? cascade.calibration().thresholdFor(target)
                : CascadeThreshold.uncalibrated(target, config.zeroShotThreshold());
    }
}
