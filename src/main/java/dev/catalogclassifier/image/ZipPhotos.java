package dev.catalogclassifier.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;

/**
 * The photos of an uploaded ZIP, checked in parallel while it is read. Nothing is written to disk, so a
 * {@code ../} path cannot escape anywhere; it is still refused ({@code unsafe_path}), as a sign of a hostile
 * archive. Sizes are counted as bytes come out, never taken from the archive's headers, for every entry: a skipped
 * one (not a photo, hidden, unsafe, over the photo limit) is inflated to reach the next, so it counts towards the
 * archive's limit like a photo, and the whole archive stops at that limit: a ZIP bomb costs at most that much work. Photos held in memory at once are bounded by the checking pool's capacity.
 */
final class ZipPhotos {

    private static final Set<String> IMAGE_SUFFIXES = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");

    private final PhotoValidator validator;
    private final long maxEntryBytes;
    private final long maxTotalBytes;
    private final int maxEntries;

    ZipPhotos(PhotoValidator validator, long maxEntryBytes, long maxTotalBytes, int maxEntries) {
        this.validator = validator;
        this.maxEntryBytes = maxEntryBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.maxEntries = maxEntries;
    }

    List<PhotoReport> check(InputStream zip, int inFlight) throws IOException {
        List<CompletableFuture<PhotoReport>> reports = new ArrayList<>();
        Semaphore room = new Semaphore(inFlight);
        long total = 0;
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(zip);
        if (!startsLikeAZip(buffered)) {
            throw invalid("is not a ZIP archive");
        }
        try (ZipInputStream in = new ZipInputStream(buffered)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (reports.size() >= maxEntries) {
                    throw invalid("holds more than " + maxEntries + " files");
                }
                String name = entry.getName();
                String refused = unsafe(name) ? "unsafe_path"
                        // macOS resource forks and dot-files: in the report, so its total is the ZIP's
                        : hidden(name) ? "hidden_file"
                        : !IMAGE_SUFFIXES.contains(suffix(name)) ? "not_an_image" : null;
                if (refused != null) {
                    total = skip(in, total); // the next entry is reached only by inflating this one: it counts too
                    reports.add(CompletableFuture.completedFuture(PhotoReport.refused(name, refused)));
                    continue;
                }
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxEntryBytes + 1));
                total = counted(total, bytes.length);
                if (bytes.length > maxEntryBytes) {
                    total = skip(in, total);
                    reports.add(CompletableFuture.completedFuture(PhotoReport.refused(name, "too_large")));
                    continue;
                }
                room.acquireUninterruptibly();
                // the decoded image is dropped as soon as it is measured: 500 of them would not fit in memory
                reports.add(validator.validateAsync(name, bytes).thenApply(PhotoReport::withoutImage)
                        .whenComplete((r, e) -> room.release()));
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw invalid("is not a readable ZIP archive");
        }
        if (reports.isEmpty()) {
            throw invalid("holds no files");
        }
        return reports.stream().map(CompletableFuture::join).toList();
    }

    /** Reads the rest of the current entry, counting what it unpacks to; stops at the archive's limit. */
    private long skip(ZipInputStream in, long total) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        for (int n = in.read(scratch); n >= 0; n = in.read(scratch)) {
            total = counted(total, n);
        }
        return total;
    }

    private long counted(long total, long more) {
        if (total + more > maxTotalBytes) {
            throw invalid("unpacks to more than " + maxTotalBytes + " bytes");
        }
        return total + more;
    }

    /** Absolute, drive-letter, backslash and parent-directory paths: a zip-slip attempt. */
    static boolean unsafe(String name) {
        String n = name.replace('\\', '/');
        return n.startsWith("/") || n.matches("^[A-Za-z]:.*") || name.contains("\\")
                || List.of(n.split("/")).contains("..");
    }

    /**
     * Whether the stream starts with a ZIP signature: a local file header, or the end record of an empty archive.
     * ZipInputStream reads anything else as an archive without entries.
     */
    private static boolean startsLikeAZip(java.io.BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return head.length == 4 && head[0] == 'P' && head[1] == 'K'
                && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6 || head[2] == 7 && head[3] == 8);
    }

    private static boolean hidden(String name) {
        return name.startsWith("__MACOSX/") || name.substring(name.lastIndexOf('/') + 1).startsWith(".");
    }

    private static String suffix(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(List.of(new FieldError("file", message)));
    }
}
