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
 * HTTP port nor the database, so it opens neither.
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
            // the console is the command's: its progress, not the service's start-up chatter
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("classifier.database.enabled", "false");
            System.setProperty("quarkus.banner.enabled", "false");
            System.setProperty("quarkus.log.level", "WARN");
            System.setProperty("quarkus.hibernate-orm.database.version-check.enabled", "false");
            System.setProperty("quarkus.log.category.\"org.hibernate\".level", "ERROR");
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
