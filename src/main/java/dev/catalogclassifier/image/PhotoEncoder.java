package dev.catalogclassifier.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What is sent of a photo: scaled down to a longest side (1,024 px by default, 512 px or less for {@code low}
 * detail) and re-encoded as JPEG at quality 0.85. A vision model tiles and scales photos itself, so larger sends
 * only pay for bytes and upload time; smaller photos are sent at their own size.
 */
public final class PhotoEncoder {

    static final float QUALITY = 0.85f;

    private PhotoEncoder() {
    }

    public static byte[] jpeg(BufferedImage image, int maxSide) {
        return write(opaque(scaled(image, maxSide)));
    }

    /** Halving steps, then one bilinear step: a single big bilinear step would alias fine texture. */
    static BufferedImage scaled(BufferedImage image, int maxSide) {
        BufferedImage current = image;
        int longest = Math.max(image.getWidth(), image.getHeight());
        if (longest <= maxSide) {
            return image;
        }
        while (Math.max(current.getWidth(), current.getHeight()) / 2 >= maxSide) {
            current = resize(current, Math.max(1, current.getWidth() / 2), Math.max(1, current.getHeight() / 2));
        }
        double factor = (double) maxSide / Math.max(current.getWidth(), current.getHeight());
        return resize(current, Math.max(1, (int) Math.round(current.getWidth() * factor)),
                Math.max(1, (int) Math.round(current.getHeight() * factor)));
    }

    private static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE); // transparent PNG backgrounds become white, as on a product page
            g.fillRect(0, 0, width, height);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /** JPEG has no alpha: photos that have it are put on white. */
    private static BufferedImage opaque(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_INT_RGB ? image : resize(image, image.getWidth(), image.getHeight());
    }

    private static byte[] write(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
