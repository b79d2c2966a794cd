package dev.catalogclassifier.folder;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The folder command: {@code images/<property>/<category>/} photos described in batches. */
@ConfigMapping(prefix = "classifier.folders")
public interface FolderConfig {

    /** Categories described at once; each runs its batches in order. */
    @WithDefault("5")
    int parallelCategories();

    /** Photos per model call: the instructions are paid once per call, so fuller calls cost less per photo. */
    @WithDefault("10")
    int imagesPerCall();

    /** A category still running after this fails alone; the others go on. */
    @WithDefault("10m")
    Duration categoryTimeout();

    /** Where {@code <property>/<category>_batch_NN.json} files go. */
    @WithDefault("output")
    Path output();
}
