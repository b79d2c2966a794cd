package dev.catalogclassifier.image;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fetching product photos safely, and the checks a photo must pass before any token is spent on it. */
@ConfigMapping(prefix = "classifier.images")
public interface ImageConfig {

    /** Largest photo fetched or unpacked, in bytes: product photos are well under this; 10 MB also bounds memory. */
    @WithDefault("10485760")
    long maxBytes();

    /** Most bytes a validation ZIP may unpack to, over all its photos: the end of a ZIP bomb. */
    @WithDefault("1073741824")
    long maxZipUnpackedBytes();

    /**
     * Photos of one validation request ({@code POST /api/v1/images/validations} with URLs) fetched and held at once:
     * with the 10 MB photo limit, 16 hold at most 160 MB however many URLs the request lists.
     */
    @WithDefault("16")
    int fetchesPerRequest();

    /** One fetch's limit, redirects included. */
    @WithDefault("10s")
    Duration fetchTimeout();

    /** Redirects followed; each target is checked again before it is fetched. */
    @WithDefault("3")
    int maxRedirects();

    /**
     * Hosts (names or literal addresses) fetched even though they resolve to a loopback, private or link-local
     * address: for an internal image server, and for tests serving photos on 127.0.0.1. Empty in production.
     */
    Optional<List<String>> allowedInternalHosts();

    /**
     * Largest photo decoded, in pixels (width x height, read from the header before decoding): a 100-megapixel
     * photo takes 400 MB as pixels, and a few-kilobyte PNG can claim far more (a decompression bomb).
     */
    @WithDefault("50000000")
    long maxPixels();

    /** Longest side of a photo as sent to the model; larger photos are scaled down (see PhotoEncoder). */
    @WithDefault("1024")
    int sendMaxSide();

    /** Threads for photo checks and resizing; 0 means one per core. CPU-bound, so never one per photo. */
    @WithDefault("0")
    int threads();

    /** The checks' thresholds. */
    Checks checks();

    /** Thresholds of the photo checks, each justified where it is used ({@link PhotoValidator}). */
    interface Checks {

        /** Shortest side in pixels: below 256, a vision model sees too little of the product to judge it. */
        @WithDefault("256")
        int minSide();

        /** Longest side over shortest side: banners and slivers (over 4:1) are not product photos. */
        @WithDefault("4.0")
        double maxAspectRatio();

        /** Mean luminance 0–255 below which a photo is too dark to show the product. */
        @WithDefault("40")
        double minLuminance();

        /** Mean luminance 0–255 above which a photo is washed out. */
        @WithDefault("225")
        double maxLuminance();

        /**
         * Variance of the Laplacian (on the photo scaled to 512 px on its longest side, in grey) below which
         * it is blurred. Sharp product photos measure in the hundreds to thousands; out of focus, under 100.
         */
        @WithDefault("100")
        double minSharpness();
    }
}
