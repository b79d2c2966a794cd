package dev.catalogclassifier.testsupport;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Real image bytes, made in the test: sharp, blurred, dark, bright, tiny, banner-shaped, corrupt, a PNG bomb. */
public final class TestImages {

    private TestImages() {
    }

    /** Fine random texture around mid-grey: plenty of edges, mean luminance about 128. */
    public static BufferedImage sharp(int width, int height) {
        return texture(width, height, 128, 60);
    }

    /** A smooth left-to-right gradient: no edges at all, as a photo far out of focus. */
    public static BufferedImage blurred(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            int v = 70 + 110 * x / Math.max(1, width - 1);
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    /** Bits a {@link #coded} photo carries: 4,096 photos, each told apart. */
    static final int CODE_BITS = 12;

    /**
     * A sharp photo that carries {@code code} (0 to 4,095) in a band across its middle: one black or white cell per bit,
     * wide enough to survive scaling and JPEG. What a benchmark's oracle knows a photo by, as a model knows it by what
     * it shows ({@link #code}).
     */
    public static BufferedImage coded(int code, int width, int height) {
        BufferedImage image = sharp(width, height);
        int cell = width / CODE_BITS;
        for (int bit = 0; bit < CODE_BITS; bit++) {
            int v = (code >> bit & 1) == 1 ? 255 : 0;
            for (int y = height / 3; y < 2 * height / 3; y++) {
                for (int x = bit * cell; x < (bit + 1) * cell; x++) {
                    image.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
        }
        return image;
    }

    /** The code a {@link #coded} photo carries, read from the middle of each cell; -1 when it carries none. */
    public static int code(BufferedImage image) {
        int cell = image.getWidth() / CODE_BITS;
        int code = 0;
        for (int bit = 0; bit < CODE_BITS; bit++) {
            long sum = 0;
            int n = 0;
            for (int y = image.getHeight() * 5 / 12; y < image.getHeight() * 7 / 12; y++) {
                for (int x = bit * cell + cell / 4; x < (bit + 1) * cell - cell / 4; x++) {
                    sum += image.getRGB(x, y) & 0xff;
                    n++;
                }
            }
            double mean = n == 0 ? 128 : sum / (double) n;
            if (mean > 40 && mean < 215) {
                return -1; // mid-grey texture: not a coded photo
            }
            code |= (mean >= 215 ? 1 : 0) << bit;
        }
        return code;
    }

    /** Texture around luminance 15: an underexposed photo. */
    public static BufferedImage dark(int width, int height) {
        return texture(width, height, 15, 12);
    }

    /** Texture around luminance 243: a washed-out photo. */
    public static BufferedImage bright(int width, int height) {
        return texture(width, height, 243, 12);
    }

    private static BufferedImage texture(int width, int height, int mean, int spread) {
        Random random = new Random(width * 31L + height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = Math.clamp(mean + random.nextInt(2 * spread + 1) - spread, 0, 255);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    public static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpg");
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first half of a JPEG: a truncated upload. */
    public static byte[] corrupt() {
        byte[] whole = jpeg(sharp(400, 300));
        byte[] half = new byte[whole.length / 2];
        System.arraycopy(whole, 0, half, 0, half.length);
        for (int i = 200; i < half.length; i += 7) {
            half[i] = (byte) (half[i] ^ 0x5a);
        }
        return half;
    }

    /** A valid PNG header claiming 100,000 x 100,000 pixels, with a few bytes of data: a decompression bomb. */
    public static byte[] pngBomb() {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
