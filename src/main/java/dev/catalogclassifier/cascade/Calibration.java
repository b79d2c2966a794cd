package dev.catalogclassifier.cascade;

import java.util.Arrays;

/**
 * What a taxonomy's grouped cross-validation saw: for each example held out, the local classifier's confidence
 * and whether its category was right. From these, {@link #thresholdFor} finds the confidence above which the
 * settled items reach a precision, for any target a request names, without calibrating again.
 *
 * @param confidences each held-out example's confidence, in 0..1
 * @param correct whether the local classifier's category was the example's own
 * @param folds how many folds the examples were split into
 * @param groupedBy what kept examples together in one fold
 * @param examples the taxonomy's examples (more than {@code confidences} when calibrated on a sample)
 * @param voteShare the neighbour vote's share in the local score these outcomes were scored with; the taxonomy's
 *        supervised head has the rest (1: the vote alone)
 * @param evidence how the local scores of the held-out examples' right categories, and of the others, are spread: what a
 *        model's answer is judged by; null for a calibration stored before it was kept
 */
public record Calibration(float[] confidences, boolean[] correct, int folds, GroupBy groupedBy, int examples,
        double voteShare, Evidence evidence) {

    /** z of a two-sided 95 % interval. */
    private static final double Z = 1.96;

    public Calibration {
        if (confidences.length != correct.length) {
            throw new IllegalArgumentException("one outcome per confidence");
        }
    }

    /** Outcomes without evidence: as stored before it was kept, and in tests. */
    public Calibration(float[] confidences, boolean[] correct, int folds, GroupBy groupedBy, int examples, double voteShare) {
        this(confidences, correct, folds, groupedBy, examples, voteShare, null);
    }


    /** Whether it was calibrated on a sample of the examples, since they were too many to cross-validate all. */
    public boolean sampled() {
        return confidences.length < examples;
    }

    /**
     * The lowest confidence at which the items settled locally reach {@code target} precision with 95 %
     * confidence (the lower end of their Wilson interval at or above it), as the held-out examples say.
     * <p>
     * The outcomes are first made monotone by isotonic regression (pool adjacent violators): the chance of being
     * right never falls as confidence rises. Thresholds are tried only where that calibrated chance changes, so
     * the precision of what is settled falls steadily as the threshold is lowered, and the threshold chosen is not
     * the luckiest of many noisy cuts. None reaching the target settles nothing.
     */
    public CascadeThreshold thresholdFor(double target) {
        Block[] blocks = isotonic();
        Curve curve = curve(blocks);
        int settled = 0;
        int right = 0;
        CascadeThreshold best = CascadeThreshold.nothingSettled(target, this, curve);
        for (int b = blocks.length - 1; b >= 0; b--) {
            settled += blocks[b].count;
            right += blocks[b].right;
            double[] interval = wilson(right, settled);
            if (interval[0] >= target) {
                best = new CascadeThreshold(target, blocks[b].lowest, (double) settled / confidences.length,
                        (double) right / settled, interval[0], interval[1], this, curve);
            }
        }
        return best;
    }

    /**
     * The calibrated chance of being right at each confidence: the isotonic regression's steps, each from its
     * lowest confidence up. Below the first step, the first step's chance.
     */
    public record Curve(float[] from, double[] chance) {

        public double at(double confidence) {
            int i = java.util.Arrays.binarySearch(from, (float) confidence);
            int step = i >= 0 ? i : Math.max(0, -i - 2);
            return chance[step];
        }
    }

    private static Curve curve(Block[] blocks) {
        float[] from = new float[blocks.length];
        double[] chance = new double[blocks.length];
        for (int b = 0; b < blocks.length; b++) {
            from[b] = blocks[b].lowest;
            chance[b] = blocks[b].rate();
        }
        return new Curve(from, chance);
    }

    /** A run of outcomes, in order of confidence, whose calibrated chance of being right is one value. */
    private static final class Block {
        float lowest;
        int count;
        int right;

        double rate() {
            return (double) right / count;
        }
    }

    /** Pool adjacent violators over the outcomes in rising confidence; equal confidences always share a block. */
    private Block[] isotonic() {
        Integer[] order = new Integer[confidences.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(confidences[a], confidences[b]));
        Block[] stack = new Block[order.length];
        int top = 0;
        for (int at = 0; at < order.length; at++) {
            int i = order[at];
            boolean tie = top > 0 && at > 0 && confidences[order[at - 1]] == confidences[i];
            Block block = tie ? stack[--top] : new Block();
            if (!tie) {
                block.lowest = confidences[i];
            }
            block.count++;
            block.right += correct[i] ? 1 : 0;
            while (top > 0 && stack[top - 1].rate() >= block.rate()) {
                Block below = stack[--top];
                below.count += block.count;
                below.right += block.right;
                block = below;
            }
            stack[top++] = block;
        }
        return Arrays.copyOf(stack, top);
    }

    /** The Wilson score interval of {@code right} in {@code n} at 95 %. */
    static double[] wilson(int right, int n) {
        double p = (double) right / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] { Math.max(0, centre - half), Math.min(1, centre + half) };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Calibration c && Arrays.equals(confidences, c.confidences) && Arrays.equals(correct, c.correct)
                && folds == c.folds && groupedBy == c.groupedBy && examples == c.examples && voteShare == c.voteShare
                && java.util.Objects.equals(evidence, c.evidence);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(confidences) * 31 + Arrays.hashCode(correct);
    }

    @Override
    public String toString() {
        return "Calibration[" + confidences.length + " outcomes of " + examples + " examples, " + folds + " folds by "
                + groupedBy + ", vote share " + voteShare + "]";
    }
}
