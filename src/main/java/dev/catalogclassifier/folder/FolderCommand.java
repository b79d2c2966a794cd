package dev.catalogclassifier.folder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.llm.ProviderPool;
import io.vertx.core.Vertx;
import picocli.CommandLine;

/**
 * {@code folders <images-dir> [PROPERTY_ID…] [--all]}: the old folder processor. Every
 * {@code <images-dir>/<property>/<category>/} folder of photos is described in batches (up to 10 photos per
 * model call), categories in parallel (5 at a time), one JSON file per batch under
 * {@code output/<property>/}. Progress goes to the console, then a summary; a category that fails or runs past
 * its timeout fails alone. Exit code 0 when every category succeeded, 1 when some failed, 2 for a usage error.
 * The command line is {@link FolderOptions}'s; the {@code folders} configuration profile keeps the console the
 * command's (no HTTP port, no database, warnings only).
 */
@ApplicationScoped
public class FolderCommand {

    static final Set<String> PHOTO_SUFFIXES = Set.of("jpg", "jpeg", "png", "webp");

    private final FolderConfig config;
    private final CategoryRun categories;
    private final ProviderPool providers;
    private final Vertx vertx;
    private final PrintStream out = System.out;

    public FolderCommand(FolderConfig config, CategoryRun categories, ProviderPool providers, Vertx vertx) {
        this.vertx = vertx;
        this.config = config;
        this.categories = categories;
        this.providers = providers;
    }

    /** Runs the command line {@code args} (after {@code folders}); returns the exit code. */
    public int run(List<String> args) {
        FolderOptions options = new FolderOptions();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(args.toArray(String[]::new));
            if (!cli.isUsageHelpRequested() && !options.choosesProperties()) {
                throw new CommandLine.ParameterException(cli, "Name the properties to describe, or --all");
            }
        } catch (CommandLine.ParameterException e) {
            out.println(e.getMessage());
            cli.usage(out);
            return 2;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return 0;
        }
        if (!providers.configured()) {
            out.println("The folder command needs a provider key: set OPENAI_API_KEY (and OPENAI_BASE_URL if not OpenAI).");
            return 2;
        }
        List<Path> properties;
        try {
            properties = properties(options);
        } catch (IllegalArgumentException | IOException e) {
            out.println(e.getMessage());
            return 2;
        }
        try {
            return describe(categoriesOf(properties));
        } finally {
            closeConnections();
        }
    }

    /**
     * A category past its timeout leaves its provider request open (the provider never answered). Closing Vert.x
     * here, while the command's beans still exist, ends that request quietly; left to the shutdown, it failed after
     * the context manager was gone, and Vert.x printed a NullPointerException after the summary.
     */
    private void closeConnections() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            out.println("Closing the provider connections took too long: " + e);
        }
    }

    private int describe(List<CategoryRun.Folder> folders) {
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "%d categories, %d at a time, up to %d photos per call%n", folders.size(),
                config.parallelCategories(), config.imagesPerCall());
        Semaphore room = new Semaphore(config.parallelCategories());
        List<Future<CategoryRun.Outcome>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (CategoryRun.Folder folder : folders) {
                outcomes.add(threads.submit(() -> {
                    room.acquire();
                    try {
                        return withTimeout(folder, threads);
                    } finally {
                        room.release();
                    }
                }));
            }
            return summarise(folders, outcomes, start);
        }
    }

    /** The category's own clock starts when it gets its turn, not while it waits for one. */
    private CategoryRun.Outcome withTimeout(CategoryRun.Folder folder, ExecutorService threads) throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Future<CategoryRun.Outcome> running = threads.submit(() -> categories.run(folder, out, stopped::get));
        try {
            return running.get(config.categoryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the flag stops its model call wherever it is; an interrupt alone can be swallowed on the way
            stopped.set(true);
            running.cancel(true);
            return CategoryRun.Outcome.failed(folder, "ran past its timeout of " + config.categoryTimeout());
        } catch (ExecutionException e) {
            return CategoryRun.Outcome.failed(folder, String.valueOf(e.getCause().getMessage()));
        }
    }

    private int summarise(List<CategoryRun.Folder> folders, List<Future<CategoryRun.Outcome>> futures, long start) {
        List<CategoryRun.Outcome> outcomes = futures.stream().map(FolderCommand::join).toList();
        int photos = folders.stream().mapToInt(f -> f.photos().size()).sum();
        int analyzed = outcomes.stream().mapToInt(CategoryRun.Outcome::analyzed).sum();
        int skipped = outcomes.stream().mapToInt(CategoryRun.Outcome::skipped).sum();
        int batches = outcomes.stream().mapToInt(CategoryRun.Outcome::batches).sum();
        double cost = outcomes.stream().mapToDouble(CategoryRun.Outcome::costUsd).sum();
        List<CategoryRun.Outcome> failed = outcomes.stream().filter(o -> o.failure() != null).toList();
        out.printf(Locale.ROOT, "%nSummary: %d photos found, %d analyzed, %d skipped; %d batch files; cost $%.6f; %.1f s%n",
                photos, analyzed, skipped, batches, cost, (System.nanoTime() - start) / 1e9);
        failed.forEach(o -> out.printf("FAILED %s/%s: %s%n", o.folder().property(), o.folder().category(), o.failure()));
        out.printf("%d of %d categories succeeded%n", outcomes.size() - failed.size(), outcomes.size());
        return failed.isEmpty() ? 0 : 1;
    }

    private static CategoryRun.Outcome join(Future<CategoryRun.Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<Path> properties(FolderOptions options) throws IOException {
        Path root = options.imagesDir;
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("No such folder: " + root);
        }
        if (options.all) {
            try (Stream<Path> all = Files.list(root)) {
                return all.filter(Files::isDirectory).sorted().toList();
            }
        }
        List<Path> properties = new ArrayList<>();
        for (String id : options.properties) {
            Path property = root.resolve(id).normalize();
            if (!property.startsWith(root.normalize()) || !Files.isDirectory(property)) {
                throw new IllegalArgumentException("No property folder " + id + " under " + root);
            }
            properties.add(property);
        }
        return properties;
    }

    private static List<CategoryRun.Folder> categoriesOf(List<Path> properties) {
        List<CategoryRun.Folder> folders = new ArrayList<>();
        for (Path property : properties) {
            try (Stream<Path> categories = Files.list(property)) {
                for (Path category : categories.filter(Files::isDirectory).sorted().toList()) {
                    folders.add(new CategoryRun.Folder(property.getFileName().toString(),
                            category.getFileName().toString(), photos(category)));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return folders;
    }

    private static List<Path> photos(Path category) throws IOException {
        try (Stream<Path> files = Files.list(category)) {
            return files.filter(Files::isRegularFile).filter(f -> PHOTO_SUFFIXES.contains(suffix(f))).sorted().toList();
        }
    }

    private static String suffix(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
