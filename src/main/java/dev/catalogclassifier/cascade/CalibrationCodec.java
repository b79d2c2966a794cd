package dev.catalogclassifier.cascade;

import java.nio.ByteBuffer;

/**
 * A {@link Calibration} as bytes for its taxonomy's row: a version, the folds, the grouping, the examples, then each
 * outcome as its confidence (a float) and whether it was right (a byte). 3,000 examples take 15 kB.
 */
public final class CalibrationCodec {

    private static final byte VERSION = 1;

    private CalibrationCodec() {
    }

    public static byte[] write(Calibration c) {
        int n = c.confidences().length;
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + 1 + 4 + 4 + n * 5);
        out.put(VERSION).putInt(c.folds()).put((byte) c.groupedBy().ordinal()).putInt(c.examples()).putInt(n);
        for (int i = 0; i < n; i++) {
            out.putFloat(c.confidences()[i]).put((byte) (c.correct()[i] ? 1 : 0));
        }
        return out.array();
    }

    /** The calibration, or null for bytes of another version (stored by a newer release: calibrate again). */
    public static Calibration read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != VERSION) {
            return null;
        }
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
        return new Calibration(confidences, correct, folds, groupedBy, examples);
    }
}
