package dev.catalogclassifier.image;

import java.util.Base64;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.ImageContent;

/**
 * A product photo from URL to what is sent to the model: fetched safely, checked, scaled down and re-encoded.
 * Blocking: call it on the item's virtual thread; the CPU-bound steps run on {@link PhotoValidator}'s pool.
 */
@ApplicationScoped
public class PhotoPipeline {

    /** Longest side sent with {@code detail: low}: what OpenAI's low detail sees anyway. */
    public static final int LOW_DETAIL_SIDE = 512;

    /** A photo ready to send, and its size before and after (for the benchmark and the logs). */
    public record Ready(ImageContent image, int fetchedBytes, int sentBytes) {
    }

    /** A photo that failed a check: the check's code, what it measured and the limit. */
    public static class Rejected extends Exception {

        private final PhotoCheck check;

        Rejected(PhotoCheck check, String message) {
            super(message, null, false, false);
            this.check = check;
        }

        /** A refusal that is not a measured check (a file too large to read, say). */
        public static Rejected of(String code, String message) {
            return new Rejected(new PhotoCheck(code, null, null, false), message);
        }

        public String code() {
            return check.code();
        }

        public Double value() {
            return check.value();
        }

        public Double threshold() {
            return check.threshold();
        }
    }

    private final ImageFetcher fetcher;
    private final PhotoValidator validator;
    private final ImageConfig config;

    public PhotoPipeline(ImageFetcher fetcher, PhotoValidator validator, ImageConfig config) {
        this.fetcher = fetcher;
        this.validator = validator;
        this.config = config;
    }

    public Ready prepare(String url, PhotoDetail detail) throws Rejected {
        ImageFetcher.Fetched fetched;
        try {
            fetched = fetcher.fetch(url);
        } catch (ImageRejected e) {
            throw new Rejected(new PhotoCheck(e.code(), null, null, false), e.getMessage());
        }
        return prepare(url, fetched.bytes(), detail);
    }

    /** A photo already in hand (a file): checked, scaled down and encoded. */
    public Ready prepare(String name, byte[] bytes, PhotoDetail detail) throws Rejected {
        int side = detail == PhotoDetail.LOW ? Math.min(LOW_DETAIL_SIDE, config.sendMaxSide()) : config.sendMaxSide();
        try {
            return validator.validateAsync(name, bytes).thenApplyAsync(report -> {
                PhotoCheck failed = report.failure().orElse(null);
                if (failed != null) {
                    throw new CompletionException(new Rejected(failed, message(failed)));
                }
                byte[] jpeg = PhotoEncoder.jpeg(report.image(), side);
                // the detail level goes with the photo: LangChain4j's default is low, whatever size is sent
                return new Ready(ImageContent.from(Image.builder().base64Data(Base64.getEncoder().encodeToString(jpeg))
                        .mimeType("image/jpeg").build(), detail == PhotoDetail.LOW ? ImageContent.DetailLevel.LOW
                                : ImageContent.DetailLevel.HIGH), bytes.length, jpeg.length);
            }, validator.executor()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Rejected rejected) {
                throw rejected;
            }
            throw e;
        }
    }

    private static String message(PhotoCheck check) {
        return switch (check.code()) {
            case "unreadable" -> "the photo could not be decoded";
            case "too_many_pixels" -> "the photo has more pixels than we decode";
            case "too_small" -> "the photo is too small to judge the product";
            case "extreme_aspect_ratio" -> "the photo is a banner or sliver, not a product photo";
            case "too_dark" -> "the photo is too dark";
            case "too_bright" -> "the photo is washed out";
            case "blurred" -> "the photo is blurred";
            default -> "the photo failed the " + check.code() + " check";
        } + (check.value() == null ? "" : " (measured " + check.value() + ", limit " + check.threshold() + ")");
    }
}
