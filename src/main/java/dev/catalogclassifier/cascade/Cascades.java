package dev.catalogclassifier.cascade;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a cascade settles items locally, and how the local score mixes vote and head: for the precision the request
 * names, else its taxonomy's, else the service's ({@link CascadeConfig#precision()}), read from the taxonomy's
 * calibrations; a taxonomy without any settles only what the local classifier is
 * {@link CascadeConfig#zeroShotThreshold()} sure of.
 */
@ApplicationScoped
public class Cascades {

    private final CascadeConfig config;
    /**
     * Thresholds worked out, by calibrations and precision: a job's items come in many small runs, and each would
     * otherwise sort the calibrations' outcomes again. Weak keys: a replaced taxonomy's calibrations go with it.
     */
    private final Map<List<Calibration>, Map<Double, CascadeThreshold>> known = Collections.synchronizedMap(new WeakHashMap<>());

    public Cascades(CascadeConfig config) {
        this.config = config;
    }

    /**
     * {@code requested}: the request's or job's precision, or null. Of the taxonomy's calibrations (one per vote
     * share), the one that settles the most at the target names the threshold and the share the items are scored
     * with; on a tie the larger vote share, the first listed.
     */
    public CascadeThreshold threshold(Cascade cascade, Double requested) {
        double target = requested != null ? requested : cascade.precision() != null ? cascade.precision() : config.precision();
        List<Calibration> calibrations = cascade.calibrations();
        if (calibrations.isEmpty()) {
            return CascadeThreshold.uncalibrated(target, config.zeroShotThreshold());
        }
        return known.computeIfAbsent(calibrations, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(target, t -> best(calibrations, t));
    }

    private static CascadeThreshold best(List<Calibration> calibrations, double target) {
        CascadeThreshold best = null;
        for (Calibration c : calibrations) {
            CascadeThreshold t = c.thresholdFor(target);
            if (best == null || t.settledShare() > best.settledShare()) {
                best = t;
            }
        }
        return best;
    }
}
