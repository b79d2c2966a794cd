package dev.catalogclassifier.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A newcomer needs no database set-up: in dev mode and tests, when no datasource URL is configured, this
 * starts a real PostgreSQL (zonky's binaries, from Maven Central) and points the datasource at it.
 * <p>
 * A configured {@code quarkus.datasource.reactive.url} always wins. In the prod profile this does nothing,
 * and the packaged application does not even contain the binaries (the dependency is optional and filtered
 * out), so production never embeds a database. Dev-mode reloads and test restarts load this class again in a
 * fresh class loader, so the running server's port is kept in a system property and reused.
 */
public class EmbeddedPostgresConfig implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String PORT_PROPERTY = "catalog-classifier.embedded-postgres.port";
    private static final int ORDINAL = 150; // above application.properties (250 is env): below anything set by hand

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!wanted(context)) {
            return List.of();
        }
        int port = port();
        String url = "postgresql://127.0.0.1:" + port + "/postgres";
        return List.of(new PropertiesConfigSource(Map.of(
                REACTIVE_URL, url,
                "quarkus.datasource.jdbc.url", "jdbc:" + url,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgres", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean wanted(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        ConfigValue url = context.getValue(REACTIVE_URL);
        return devOrTest && (url == null || url.getValue() == null || url.getValue().isBlank());
    }

    private static synchronized int port() {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return Integer.parseInt(running);
        }
        int port = Server.start();
        System.setProperty(PORT_PROPERTY, String.valueOf(port));
        return port;
    }

    /** The only code touching zonky, so this factory loads even where the optional jar is absent (prod). */
    private static final class Server {
        static int start() {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> close(postgres)));
                return postgres.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL for dev mode and tests; "
                        + "set QUARKUS_DATASOURCE_REACTIVE_URL to use a running one", e);
            }
        }

        private static void close(EmbeddedPostgres postgres) {
            try {
                postgres.close();
            } catch (IOException e) {
                // the JVM is exiting; the temporary data directory goes with it
            }
        }
    }
}
