package dev.catalogclassifier.cascade;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A taxonomy's {@link Calibration}s (one per vote share tried) as bytes for its row: a version and their number, then
 * each one's vote share, folds, grouping and examples, and each outcome as its confidence (a float) and whether it
 * was right (a byte). Five calibrations of 3,000 examples take 75 kB.
 * <p>
 * Version 3 adds to each calibration its {@link Evidence} (the two score histograms), which judging a model's answers
 * needs. Version 2 (without it) and version 1 (before the supervised head, one calibration of the
 * vote alone) still read; their taxonomies are calibrated again when examples are next added.
 */
public final class CalibrationCodec {

    private static final byte VERSION = 3;
    private static final byte WITHOUT_RANKS = 2;
    private static final byte VOTE_ONLY = 1;

    private CalibrationCodec() {
    }

    public static byte[] write(List<Calibration> calibrations) {
        int size = 1 + 4;
        for (Calibration c : calibrations) {
            size += 8 + 4 + 1 + 4 + 4 + c.confidences().length * 5 + 1 + 2 * Evidence.BINS * 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).putInt(calibrations.size());
        for (Calibration c : calibrations) {
            out.putDouble(c.voteShare());
            body(out, c);
        }
        return out.array();
    }

    private static void body(ByteBuffer out, Calibration c) {
        int n = c.confidences().length;
        out.putInt(c.folds()).put((byte) c.groupedBy().ordinal()).putInt(c.examples()).putInt(n);
        for (int i = 0; i < n; i++) {
            out.putFloat(c.confidences()[i]).put((byte) (c.correct()[i] ? 1 : 0));
        }
        Evidence e = c.evidence();
        out.put((byte) (e == null ? 0 : 1));
        for (int b = 0; b < Evidence.BINS; b++) {
            out.putLong(e == null ? 0 : e.right()[b]).putLong(e == null ? 0 : e.others()[b]);
        }
    }

    /** Whether the bytes are of this release's version: an older one calibrated without the head. */
    public static boolean isCurrent(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == VERSION;
    }

    /** The calibrations, or none for bytes of another version (stored by a newer release: calibrate again). */
    public static List<Calibration> read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version == VOTE_ONLY) {
            return List.of(body(in, 1, false));
        }
        if (version != VERSION && version != WITHOUT_RANKS) {
            return List.of();
        }
        int count = in.getInt();
        List<Calibration> calibrations = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            double voteShare = in.getDouble();
            calibrations.add(body(in, voteShare, version == VERSION));
        }
        return List.copyOf(calibrations);
    }

    private static Calibration body(ByteBuffer in, double voteShare, boolean ranked) {
        int folds = in.getInt();
        GroupBy groupedBy = GroupBy.values()[in.get()];
        int examples = in.getInt();
        int n = in.getInt();
        float[] confidences = new float[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            confidences[i] = in.getFloat();
            correct[i] = in.get() == 1;
        }
        return new Calibration(confidences, correct, folds, groupedBy, examples, voteShare, ranked ? evidence(in) : null);
    }

    private static Evidence evidence(ByteBuffer in) {
        boolean present = in.get() == 1;
        long[] right = new long[Evidence.BINS];
        long[] others = new long[Evidence.BINS];
        for (int b = 0; b < Evidence.BINS; b++) {
            right[b] = in.getLong();
            others[b] = in.getLong();
        }
        return present ? new Evidence(right, others) : null;
    }
}
