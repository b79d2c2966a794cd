package dev.catalogclassifier.review;

import dev.catalogclassifier.cascade.CascadeThreshold;
import dev.catalogclassifier.cascade.Evidence;

/**
 * Judges the results of one run: each result's calibrated chance of being right, and whether it is marked for review.
 * Review marks the fewest results such that those left reach the precision asked, as the taxonomy's calibration
 * expects: the rule the cascade already settles by. Pure arithmetic, tested without Quarkus.
 * <p>
 * An answer of the local classifier is judged by its own calibration: the taxonomy's held-out examples say how often
 * an item at its confidence is right, and it is marked when the cascade would not have settled it (below the threshold
 * at which the settled items reach the precision asked). An answer of the LLM is not judged by the confidence the model states (models
 * state 0.9 for anything) but by what the service can check: the score the local classifier gives the model's choice.
 * Bayes' rule weighs the model's assumed precision ({@link ReviewConfig#modelPrecision()}) by how the local classifier
 * scores right categories, against how it scores the others (the taxonomy's held-out examples, {@link Evidence}), a
 * wrong answer being assumed to fall on any other category alike. A model whose mistakes are the very categories the
 * local classifier also believes in gets less out of this check than that assumption says. It is marked below the chance
 * at which the model's answers left unmarked reach the precision asked ({@link Evidence#cut}).
 * <p>
 * Without a calibration (an inline list, too few examples) there is no chance to state: a local answer is marked below
 * the cascade's fixed zero-shot threshold, and a model's, in a taxonomy that learns from the model, when the local
 * classifier scores its choice below {@link #DOUBTFUL}. Elsewhere (an inline list) the model's answers are not scored
 * at all ({@link #statesChances}): an embedding per item, for a flag that marks only the answers the local classifier
 * all but rules out, cost more CPU than the rest of the item's way through the service.
 */
public final class Judge {

    /** Without a calibration, a model's answer the local classifier scores below this is marked. */
    static final double DOUBTFUL = 0.02;

    private final CascadeThreshold cascade;
    private final double modelPrecision;
    private final Evidence evidence;
    /** Below this chance an answer of the model is marked: the answers left then reach the precision asked. */
    private final double modelCut;

    public Judge(CascadeThreshold cascade, double modelPrecision) {
        this.cascade = cascade;
        this.modelPrecision = modelPrecision;
        Evidence e = cascade.calibrated() ? cascade.calibration().evidence() : null;
        this.evidence = e == null || e.isEmpty() ? null : e;
        this.modelCut = evidence == null ? Double.NaN : evidence.cut(modelPrecision, cascade.target());
    }

    /**
     * Whether answers of the model are given a chance: the taxonomy's calibration has the evidence to weigh the local
     * classifier's score of them by. Without it only a taxonomy that learns has a use for that score.
     */
    public boolean statesChances() {
        return evidence != null;
    }

    /** The precision asked of this run. */
    public double target() {
        return cascade.target();
    }

    /** An answer of the local classifier at {@code confidence}. */
    public Verdict local(double confidence) {
        Double chance = cascade.calibrated() ? Verdict.round(cascade.chanceRight(confidence)) : null;
        return new Verdict(chance, !cascade.settles(confidence));
    }

    /**
     * An answer of the model that the local classifier scored {@code score} (its share of the item's scores, 0..1);
     * null when it did not score it (a photo, no text).
     */
    public Verdict model(Double score) {
        if (score == null) {
            return Verdict.UNJUDGED;
        }
        if (evidence == null) {
            return new Verdict(null, score < DOUBTFUL);
        }
        return modelVerdict(evidence.chance(score, modelPrecision));
    }

    private Verdict modelVerdict(double chance) {
        return new Verdict(Verdict.round(chance), chance < modelCut);
    }

    /**
     * Whether an answer of the model is trusted enough to learn from: the local classifier's view does not lower its
     * chance below the model's own assumed precision (without a calibration: it does not doubt it).
     */
    public boolean learnable(Double score) {
        if (score == null) {
            return false;
        }
        return evidence == null ? score >= DOUBTFUL : evidence.chance(score, modelPrecision) >= modelPrecision;
    }

    /** A stored answer of the model, with the chance it was given when first answered (null: not judged then). */
    public Verdict cached(Double chance) {
        return chance == null || evidence == null ? new Verdict(chance, false) : modelVerdict(chance);
    }
}
