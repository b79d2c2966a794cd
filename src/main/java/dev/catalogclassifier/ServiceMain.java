package dev.catalogclassifier;

import java.util.Arrays;
import java.util.List;

import dev.catalogclassifier.folder.FolderCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service, or a command: {@code java -jar quarkus-run.jar} serves the API; {@code java -jar quarkus-run.jar
 * folders <images-dir> [PROPERTY_ID…] [--all]} runs the folder command and exits. A command needs neither the
 * HTTP port nor the database, so it opens neither: the {@code folders} configuration profile says so.
 */
@QuarkusMain
public class ServiceMain implements QuarkusApplication {

    private static final String FOLDERS = "folders";

    private final FolderCommand folders;

    public ServiceMain(FolderCommand folders) {
        this.folders = folders;
    }

    public static void main(String... args) {
        if (args.length > 0 && FOLDERS.equals(args[0])) {
            // the folders profile, on top of whatever profile was chosen: it is read before any bean exists
            String chosen = System.getProperty("quarkus.profile", System.getenv().getOrDefault("QUARKUS_PROFILE", "prod"));
            System.setProperty("quarkus.profile", chosen + "," + FOLDERS);
        }
        Quarkus.run(ServiceMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length > 0 && FOLDERS.equals(args[0])) {
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            return folders.run(rest);
        }
        Quarkus.waitForExit();
        return 0;
    }
}
