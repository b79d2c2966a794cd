package dev.catalogclassifier.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How results are judged, and which answers of the model a taxonomy learns from. */
@ConfigMapping(prefix = "classifier.review")
public interface ReviewConfig {

    /**
     * The precision assumed of the LLM before the local model's view of its answer is weighed: the prior of the chance
     * an answer of the LLM is given. A good model on a clear taxonomy is right on about 9 items of 10. Each taxonomy's
     * feedback moves it: this counts as 20 answers beside the answers of the LLM its callers confirmed and corrected
     * ({@code Cascade.Feedback}).
     */
    @WithDefault("0.9")
    double modelPrecision();

    /**
     * Whether the in-process classifier scores the text items the LLM answers in a taxonomy that has a use for the score
     * (a calibration to state the answer's chance by, or learning from the model), so the answer is judged and learnt
     * from. It costs one embedding per item, about as much CPU as the rest of an LLM item's way through the service
     * (docs/benchmarks.md, "The hot path"); answers of the LLM on an inline list are never scored. Off, answers of
     * the LLM on a taxonomy that is not shortlisted are neither judged nor learnt.
     */
    @WithDefault("true")
    boolean localCheck();

    /**
     * Whether answers of the model that the service has reason to trust become examples of the named taxonomy they
     * were asked for (marked {@code source: model}, droppable), so the next items like them are settled without a model
     * call.
     */
    @WithDefault("true")
    boolean learn();

    /**
     * Examples added since the last calibration that make a taxonomy calibrate again (in the background), or this
     * share of its calibrated examples, whichever is larger.
     */
    @WithDefault("50")
    int recalibrateAfter();

    /** The share of a taxonomy's calibrated examples, added since, that makes it calibrate again. */
    @WithDefault("0.1")
    double recalibrateShare();
}
