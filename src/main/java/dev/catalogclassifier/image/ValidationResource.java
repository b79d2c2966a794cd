package dev.catalogclassifier.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import dev.catalogclassifier.problem.ProblemResponses;
import io.smallrye.common.annotation.RunOnVirtualThread;

/**
 * {@code POST /api/v1/images/validations}: the photo checks on their own, before any classification: a ZIP
 * upload (multipart, field {@code file}) or a JSON list of URLs. The report is JSON, or CSV with
 * {@code Accept: text/csv}. Runs on a virtual thread: it reads the upload and fetches URLs, blocking; the checks
 * themselves run on {@link PhotoValidator}'s bounded pool.
 */
@Tag(name = "Photo validations", description = "Check product photos (size, blur, exposure) from a ZIP or from URLs; a JSON or CSV report")
@Path("/api/v1/images/validations")
@Produces({ MediaType.APPLICATION_JSON, "text/csv" })
public class ValidationResource {

    private static final int MAX_URLS = 1000;
    private static final int MAX_ZIP_ENTRIES = 10_000;

    private final PhotoValidator validator;
    private final ImageFetcher fetcher;
    private final ImageConfig config;

    public ValidationResource(PhotoValidator validator, ImageFetcher fetcher, ImageConfig config) {
        this.validator = validator;
        this.fetcher = fetcher;
        this.config = config;
    }

    @Operation(summary = "Validate the photos of a ZIP upload")
    @APIResponse(responseCode = "200", description = "The report",
            content = {@Content(mediaType = "application/json", schema = @Schema(implementation = ValidationReport.class)), @Content(mediaType = "text/csv",
                    schema = @Schema(type = SchemaType.STRING, description = "one row per photo, with a header row"))})
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ProblemResponses.TOO_LARGE)
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RunOnVirtualThread
    public RestResponse<Object> zip(@RestForm("file") FileUpload file, HttpHeaders headers) throws IOException {
        if (file == null) {
            throw new InvalidRequestException(List.of(new FieldError("file", "a ZIP file is required")));
        }
        long start = System.nanoTime();
        ZipPhotos zip = new ZipPhotos(validator, config.maxBytes(), config.maxZipUnpackedBytes(), MAX_ZIP_ENTRIES);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return answer(zip.check(in, 2 * Runtime.getRuntime().availableProcessors()), start, headers);
        }
    }

    @Operation(summary = "Validate photos by URL")
    @APIResponse(responseCode = "200", description = "The report",
            content = {@Content(mediaType = "application/json", schema = @Schema(implementation = ValidationReport.class)), @Content(mediaType = "text/csv",
                    schema = @Schema(type = SchemaType.STRING, description = "one row per photo, with a header row"))})
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public RestResponse<Object> urls(ValidationRequest body, HttpHeaders headers) {
        if (body == null || body.urls() == null || body.urls().isEmpty() || body.urls().size() > MAX_URLS) {
            throw new InvalidRequestException(List.of(new FieldError("urls", "must hold 1 to " + MAX_URLS + " URLs")));
        }
        long start = System.nanoTime();
        List<CompletableFuture<PhotoReport>> reports = new ArrayList<>();
        // a photo is held from its fetch until its checks end: at most this many of the request's at once
        Semaphore room = new Semaphore(config.fetchesPerRequest());
        try (var fetching = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String url : body.urls()) {
                reports.add(CompletableFuture.supplyAsync(() -> {
                    room.acquireUninterruptibly();
                    return fetch(url);
                }, fetching).thenCompose(r -> r.bytes() == null ? CompletableFuture.completedFuture(r.report())
                        : validator.validateAsync(url, r.bytes()).thenApply(PhotoReport::withoutImage))
                        .whenComplete((r, e) -> room.release()));
            }
            return answer(reports.stream().map(CompletableFuture::join).toList(), start, headers);
        }
    }

    private record Fetch(byte[] bytes, PhotoReport report) {
    }

    private Fetch fetch(String url) {
        try {
            return new Fetch(fetcher.fetch(url == null ? "" : url).bytes(), null);
        } catch (ImageRejected e) {
            return new Fetch(null, PhotoReport.refused(url, e.code()));
        }
    }

    private static RestResponse<Object> answer(List<PhotoReport> images, long start, HttpHeaders headers) {
        ValidationReport report = ValidationReport.of(images, (System.nanoTime() - start) / 1_000_000);
        boolean csv = headers.getAcceptableMediaTypes().stream().anyMatch(t -> t.isCompatible(MediaType.valueOf("text/csv"))
                && !t.isWildcardType());
        return csv ? RestResponse.ResponseBuilder.<Object>ok(report.csv(), "text/csv; charset=UTF-8").build()
                : RestResponse.ResponseBuilder.<Object>ok(report, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
