package dev.catalogclassifier.folder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.image.ImageConfig;
import dev.catalogclassifier.image.PhotoDetail;
import dev.catalogclassifier.image.PhotoPipeline;
import dev.catalogclassifier.llm.Flow;
import dev.catalogclassifier.llm.LlmConfig;
import dev.catalogclassifier.llm.ModelCall;
import dev.catalogclassifier.llm.ModelClient;
import dev.catalogclassifier.llm.PhotoBatchAnswer;
import dev.langchain4j.data.message.ImageContent;

/**
 * One {@code <property>/<category>} folder: its photos checked and scaled (a photo that fails a check is
 * skipped with its reason, never sent), then described in batches, each written to
 * {@code output/<property>/<category>_batch_NN.json} as soon as it is answered.
 */
@ApplicationScoped
public class CategoryRun {

    /** A category folder and its photo files. */
    public record Folder(String property, String category, List<Path> photos) {
    }

    /** What became of a category; {@code failure} is null when it succeeded. */
    public record Outcome(Folder folder, int analyzed, int skipped, int batches, double costUsd, String failure) {
        static Outcome failed(Folder folder, String why) {
            return new Outcome(folder, 0, 0, 0, 0, why);
        }
    }

    private final PhotoPipeline photos;
    private final ModelClient client;
    private final FolderConfig config;
    private final ImageConfig images;
    private final ObjectMapper json;
    private final String model;

    public CategoryRun(PhotoPipeline photos, ModelClient client, FolderConfig config, ImageConfig images,
            ObjectMapper json, LlmConfig llm) {
        this.photos = photos;
        this.client = client;
        this.config = config;
        this.images = images;
        this.json = json;
        this.model = llm.defaultModel();
    }

    public Outcome run(Folder folder, PrintStream out, java.util.function.BooleanSupplier stopped) throws IOException {
        List<String> names = new ArrayList<>();
        List<ImageContent> ready = new ArrayList<>();
        List<BatchFile.Skipped> skipped = new ArrayList<>();
        for (Path photo : folder.photos()) {
            String name = photo.getFileName().toString();
            try {
                ready.add(photos.prepare(name, read(photo), PhotoDetail.HIGH).image());
                names.add(name);
            } catch (PhotoPipeline.Rejected e) {
                skipped.add(new BatchFile.Skipped(name, e.code()));
                out.printf("%s/%s: skipped %s (%s)%n", folder.property(), folder.category(), name, e.getMessage());
            }
        }
        int size = config.imagesPerCall();
        int batches = (ready.size() + size - 1) / size;
        double cost = 0;
        for (int b = 0; b < batches; b++) {
            List<ImageContent> batch = ready.subList(b * size, Math.min(ready.size(), (b + 1) * size));
            ModelCall call = new ModelCall(model, Flow.folder(folder.property() + "/" + folder.category()), stopped);
            PhotoBatchAnswer answer = client.describePhotos(folder.category(), batch, call);
            double batchCost = call.usage().costUsd();
            cost += batchCost;
            write(folder, new BatchFile(folder.property(), folder.category(), b + 1, batch.size(),
                    names.subList(b * size, b * size + batch.size()), b == 0 ? skipped : List.of(),
                    answer.features() == null ? List.of() : answer.features(), answer.summary(), batchCost, model));
            out.printf(Locale.ROOT, "%s/%s: batch %d/%d, %d photos, $%.6f%n", folder.property(), folder.category(),
                    b + 1, batches, batch.size(), batchCost);
        }
        return new Outcome(folder, ready.size(), skipped.size(), batches, cost, null);
    }

    /** A file larger than the photo limit is refused unread, like a download would be. */
    private byte[] read(Path photo) throws IOException, PhotoPipeline.Rejected {
        if (Files.size(photo) > images.maxBytes()) {
            throw PhotoPipeline.Rejected.of("too_large", "the photo is larger than " + images.maxBytes() + " bytes");
        }
        return Files.readAllBytes(photo);
    }

    private void write(Folder folder, BatchFile file) throws IOException {
        Path directory = config.output().resolve(folder.property());
        Files.createDirectories(directory);
        json.writerWithDefaultPrettyPrinter().writeValue(
                directory.resolve(String.format(Locale.ROOT, "%s_batch_%02d.json", folder.category(), file.batch())).toFile(), file);
    }
}
