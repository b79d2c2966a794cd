package dev.catalogclassifier.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import dev.catalogclassifier.image.ImageConfig;
import dev.catalogclassifier.image.PhotoEncoder;
import dev.catalogclassifier.image.PhotoReport;
import dev.catalogclassifier.image.PhotoValidator;
import dev.catalogclassifier.testsupport.TestImages;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Photo checks: images/s on {@code count} generated 2,000 x 1,500 JPEGs, on the service's pool (one platform
 * thread per core) against one thread in the same process; and the bytes sent per photo before and after
 * scaling down. The photos are synthetic product shots (gradient backdrop, shaded shapes, sensor noise), so
 * they compress like photos rather than like noise. Invoked by {@code bench/photos.sh}.
 */
public final class PhotoBenchmark {

    private static final int DISTINCT = 25;

    private PhotoBenchmark() {
    }

    /** {@code <count>}. */
    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        // the service's own defaults; Quarkus's converter reads durations such as "10s"
        ImageConfig config = new SmallRyeConfigBuilder().withMapping(ImageConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter()).build()
                .unwrap(SmallRyeConfig.class).getConfigMapping(ImageConfig.class);
        PhotoValidator validator = new PhotoValidator(config);
        List<BufferedImage> images = new ArrayList<>();
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < DISTINCT; i++) {
            images.add(product(2000, 1500, i));
            photos.add(TestImages.jpeg(images.getLast()));
        }
        run(validator, photos, Math.min(count, 50), false); // warm-up, both ways
        run(validator, photos, Math.min(count, 50), true);
        double single = run(validator, photos, count, false);
        double pooled = run(validator, photos, count, true);
        System.out.printf(Locale.ROOT, "| %d photos 2000x1500 | %d cores | one thread %.1f images/s | pool %.1f images/s | %.2fx |%n",
                count, Runtime.getRuntime().availableProcessors(), single, pooled, pooled / single);
        long before = 0;
        long at1024 = 0;
        long at512 = 0;
        for (int i = 0; i < DISTINCT; i++) {
            before += photos.get(i).length;
            at1024 += PhotoEncoder.jpeg(images.get(i), 1024).length;
            at512 += PhotoEncoder.jpeg(images.get(i), 512).length;
        }
        System.out.printf(Locale.ROOT, "| bytes per photo | fetched (2000x1500 JPEG) %d | sent at 1,024 px %d (%.2fx smaller) | at 512 px %d (%.2fx smaller) |%n",
                before / DISTINCT, at1024 / DISTINCT, (double) before / at1024, at512 / DISTINCT, (double) before / at512);
        System.exit(0);
    }

    /** Images/s validating {@code count} photos, on the pool or on this thread. */
    private static double run(PhotoValidator validator, List<byte[]> photos, int count, boolean pooled) {
        long start = System.nanoTime();
        List<CompletableFuture<PhotoReport>> reports = new ArrayList<>();
        int valid = 0;
        for (int i = 0; i < count; i++) {
            byte[] photo = photos.get(i % photos.size());
            if (pooled) {
                reports.add(validator.validateAsync("p" + i, photo).thenApply(r -> new PhotoReport(r.name(), r.valid(), r.checks(), null)));
            } else {
                PhotoReport r = validator.validate("p" + i, photo);
                valid += r.valid() ? 1 : 0;
                if (!r.valid() && System.getenv("DEBUG_PHOTOS") != null) {
                    System.out.println(r.checks());
                }
            }
        }
        for (CompletableFuture<PhotoReport> report : reports) {
            valid += report.join().valid() ? 1 : 0;
        }
        if (valid != count) {
            throw new IllegalStateException(valid + " of " + count + " generated photos passed the checks");
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** A synthetic product shot: a lit backdrop, a shaded "sofa" of boxes with seams, and a little sensor noise. */
    static BufferedImage product(int width, int height, int seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(225, 222, 215), 0, height, new Color(170, 165, 160)));
        g.fillRect(0, 0, width, height);
        Color body = new Color(60 + random.nextInt(120), 60 + random.nextInt(120), 60 + random.nextInt(120));
        for (int part = 0; part < 6; part++) {
            int x = width / 6 + random.nextInt(width / 2);
            int y = height / 4 + random.nextInt(height / 2);
            int w = width / 8 + random.nextInt(width / 4);
            int h = height / 10 + random.nextInt(height / 4);
            g.setPaint(new GradientPaint(x, y, body.brighter(), x + w, y + h, body.darker()));
            g.fillRoundRect(x - w / 2, y - h / 2, w, h, 40, 40);
            g.setColor(body.darker().darker()); // seams and weave: the fine edges a sharp photo shows
            for (int seam = 0; seam < 60; seam++) {
                int sx = x - w / 2 + random.nextInt(w);
                g.drawLine(sx, y - h / 2, sx + random.nextInt(9) - 4, y + h / 2);
            }
        }
        g.dispose();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int n = random.nextInt(13) - 6;
                int r = Math.clamp(((rgb >> 16) & 0xff) + n, 0, 255);
                int gr = Math.clamp(((rgb >> 8) & 0xff) + n, 0, 255);
                int b = Math.clamp((rgb & 0xff) + n, 0, 255);
                image.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return image;
    }
}
