package dev.catalogclassifier.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import dev.catalogclassifier.tabular.TableFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** A job submitted as a file ({@code multipart/form-data}): its items from the file, its options from JSON. */
@ApplicationScoped
public class JobUploads {

    private final ObjectMapper json;
    private final Vertx vertx;
    private final JobsConfig config;

    public JobUploads(ObjectMapper json, Vertx vertx, JobsConfig config) {
        this.json = json;
        this.vertx = vertx;
        this.config = config;
    }

    /**
     * The file's items, read on a worker thread (the file is on disk) and handed back on the caller's event loop,
     * where the job is then stored (Hibernate Reactive).
     */
    Uni<ItemFile> items(FileUpload file) {
        if (file == null || file.uploadedFile() == null) {
            throw new InvalidRequestException(List.of(new FieldError("file", "is required: a CSV or XLSX file with a header row")));
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try (InputStream in = Files.newInputStream(file.uploadedFile())) {
                return ItemFile.of(TableFile.read(in, config.maxItems()));
            } catch (IOException e) {
                throw new UncheckedIOException("the uploaded file could not be read back", e);
            }
        }));
    }

    /** The upload's options part: a job request's fields other than its items (which come from the file). */
    JobRequest options(String options) {
        if (options == null || options.isBlank()) {
            return JobRequest.NONE;
        }
        JobRequest parsed;
        try {
            parsed = json.readValue(options, JobRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(List.of(new FieldError("options",
                    "is not a JSON object of job options (taxonomy, classifier, execution, pack, ...): " + e.getOriginalMessage())));
        }
        if (parsed == null || parsed.items() != null) {
            throw new InvalidRequestException(List.of(new FieldError("options.items",
                    parsed == null ? "options must be a JSON object" : "must not be given: the items come from the file")));
        }
        return parsed;
    }
}
