package dev.catalogclassifier.cascade;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a cascade settles items locally: for the precision the request names, else its taxonomy's, else the
 * service's ({@link CascadeConfig#precision()}), read from the taxonomy's calibration; a taxonomy without one settles
 * only what the local classifier is {@link CascadeConfig#zeroShotThreshold()} sure of.
 */
@ApplicationScoped
public class Cascades {

    private final CascadeConfig config;
    /**
     * Thresholds worked out, by calibration and precision: a job's items come in many small runs, and each would
     * otherwise sort the calibration's outcomes again. Weak keys: a replaced taxonomy's calibration goes with it.
     */
    private final Map<Calibration, Map<Double, CascadeThreshold>> known = Collections.synchronizedMap(new WeakHashMap<>());

    public Cascades(CascadeConfig config) {
        this.config = config;
    }

    /** {@code requested}: the request's or job's precision, or null. */
    public CascadeThreshold threshold(Cascade cascade, Double requested) {
        double target = requested != null ? requested : cascade.precision() != null ? cascade.precision() : config.precision();
        Calibration calibration = cascade.calibration();
        if (calibration == null) {
            return CascadeThreshold.uncalibrated(target, config.zeroShotThreshold());
        }
        return known.computeIfAbsent(calibration, c -> new ConcurrentHashMap<>()).computeIfAbsent(target, calibration::thresholdFor);
    }
}
