package dev.catalogclassifier.folder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The folder command's command line, parsed by picocli. */
@Command(name = "folders",
        description = "Describes every <images-dir>/<property>/<category>/ folder of photos in batches, "
                + "one JSON file per batch under output/<property>/.")
public class FolderOptions {

    @Parameters(index = "0", paramLabel = "<images-dir>", description = "the folder holding one folder per property")
    Path imagesDir;

    @Parameters(index = "1..*", paramLabel = "PROPERTY_ID", description = "the properties to describe")
    List<String> properties = new ArrayList<>();

    @Option(names = "--all", description = "describe every property under <images-dir>")
    boolean all;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "show this help and exit")
    boolean help;

    /** Something to describe: named properties, or all of them. */
    boolean choosesProperties() {
        return all || !properties.isEmpty();
    }
}
