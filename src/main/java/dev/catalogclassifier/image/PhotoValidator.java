package dev.catalogclassifier.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.cpu.CpuPool;

/**
 * Checks a photo before any token is spent on it: readable, not a decompression bomb, big enough, not a
 * sliver, neither too dark nor too bright, not blurred. Decoding and measuring are CPU-bound, so they run on a
 * pool of one platform thread per core (configurable), never one virtual thread per photo.
 * <p>
 * Exposure and sharpness are measured on the photo scaled to 512 px on its longest side, in grey, so their
 * thresholds mean the same for a 600 px and a 6,000 px photo, and a 24-megapixel photo costs no more to judge
 * than a small one.
 */
@ApplicationScoped
public class PhotoValidator {

    /** Longest side of the grey copy measured for exposure and sharpness. */
    static final int MEASURE_SIDE = 512;

    private final ImageConfig config;
    private final ExecutorService cpu;

    public PhotoValidator(ImageConfig config) {
        this.config = config;
        this.cpu = CpuPool.of("photo-checks", config.threads());
    }

    @PreDestroy
    void close() {
        cpu.shutdown();
    }

    /** The bounded pool the checks run on; resizing and encoding run there too. */
    java.util.concurrent.Executor executor() {
        return cpu;
    }

    public CompletableFuture<PhotoReport> validateAsync(String name, byte[] bytes) {
        return CompletableFuture.supplyAsync(() -> validate(name, bytes), cpu);
    }

    /** On the calling thread: for callers that already are one of a bounded pool's (the benchmark's baseline). */
    public PhotoReport validate(String name, byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return PhotoReport.refused(name, "unreadable");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // a JPEG cut short decodes without an exception: the decoder warns and fills the rest with grey,
                // which every check would pass. A warning while reading means the photo is not whole.
                java.util.concurrent.atomic.AtomicReference<String> damage = new java.util.concurrent.atomic.AtomicReference<>();
                reader.addIIOReadWarningListener((source, warning) -> damage.compareAndSet(null, warning));
                PhotoReport report = check(name, reader);
                return damage.get() == null ? report : PhotoReport.refused(name, "unreadable");
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return PhotoReport.refused(name, "unreadable"); // truncated or corrupt data
        }
    }

    private PhotoReport check(String name, ImageReader reader) throws IOException {
        ImageConfig.Checks limits = config.checks();
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        List<PhotoCheck> checks = new ArrayList<>();
        // from the header, before a single pixel is decoded
        checks.add(PhotoCheck.atMost("too_many_pixels", (double) width * height, config.maxPixels()));
        if (!checks.getLast().passed()) {
            return new PhotoReport(name, false, checks, null);
        }
        BufferedImage image = reader.read(0);
        checks.add(PhotoCheck.atLeast("too_small", Math.min(width, height), limits.minSide()));
        checks.add(PhotoCheck.atMost("extreme_aspect_ratio", (double) Math.max(width, height) / Math.max(1, Math.min(width, height)),
                limits.maxAspectRatio()));
        byte[] grey = grey(image);
        double luminance = mean(grey);
        checks.add(PhotoCheck.atLeast("too_dark", luminance, limits.minLuminance()));
        checks.add(PhotoCheck.atMost("too_bright", luminance, limits.maxLuminance()));
        checks.add(PhotoCheck.atLeast("blurred", laplacianVariance(grey, greyWidth(image)), limits.minSharpness()));
        return new PhotoReport(name, checks.stream().allMatch(PhotoCheck::passed), checks, image);
    }

    private static int greyWidth(BufferedImage image) {
        return scaled(image.getWidth(), image);
    }

    private static int scaled(int side, BufferedImage image) {
        int longest = Math.max(image.getWidth(), image.getHeight());
        return longest <= MEASURE_SIDE ? side : Math.max(1, (int) Math.round((double) side * MEASURE_SIDE / longest));
    }

    /** The photo in grey at most 512 px on its longest side, as one byte per pixel. */
    static byte[] grey(BufferedImage image) {
        int width = scaled(image.getWidth(), image);
        int height = scaled(image.getHeight(), image);
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData();
    }

    static double mean(byte[] grey) {
        long sum = 0;
        for (byte b : grey) {
            sum += b & 0xff;
        }
        return grey.length == 0 ? 0 : (double) sum / grey.length;
    }

    /** Variance of the 4-neighbour Laplacian over the interior: edges give large values, blur flattens them. */
    static double laplacianVariance(byte[] grey, int width) {
        int height = grey.length / width;
        if (width < 3 || height < 3) {
            return 0;
        }
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = 1; y < height - 1; y++) {
            for (int x = 1; x < width - 1; x++) {
                int at = y * width + x;
                int value = (grey[at - 1] & 0xff) + (grey[at + 1] & 0xff) + (grey[at - width] & 0xff)
                        + (grey[at + width] & 0xff) - 4 * (grey[at] & 0xff);
                sum += value;
                squares += (double) value * value;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }
}
