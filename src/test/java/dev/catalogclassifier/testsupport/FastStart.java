package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JVM options that start the packaged service in less than half the time and about a third of the CPU, for the ITs,
 * which start some thirty pods on a 2-core machine (docs/benchmarks.md, "The test command"):
 * <ul>
 * <li>C1 only: a pod in a test lives for seconds, and C2's compilations cost it more CPU than they give back;</li>
 * <li>a dynamic class-data archive of the service's classes (the JDK's AppCDS): the first pod of a test JVM that
 * stops cleanly writes it, and the pods after it map it instead of loading and verifying their classes again.</li>
 * </ul>
 * Failsafe turns this on ({@code -Dservice-process.fast-start=true}); benchmarks leave it off, so they run the JVM
 * as the Dockerfile does. A stale archive is never used: its name carries the jar's build time and the JDK's version.
 */
final class FastStart {

    static final String PROPERTY = "service-process.fast-start";

    private static final AtomicBoolean WRITING = new AtomicBoolean();

    /** Off: the JVM's defaults. */
    private static final FastStart OFF = new FastStart(null, null, false);

    private final Path archive;
    private final Path draft;
    private final boolean writes;

    private FastStart(Path archive, Path draft, boolean writes) {
        this.archive = archive;
        this.draft = draft;
        this.writes = writes;
    }

    /** What a pod of {@code jar} starts with. */
    static FastStart forPod(Path jar) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return OFF;
        }
        Path archive = archiveOf(jar);
        boolean writes = !Files.exists(archive) && WRITING.compareAndSet(false, true);
        // the draft is this test JVM's own: two forks may write theirs at once, and each lands whole by a rename
        Path draft = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".draft");
        return new FastStart(archive, draft, writes);
    }

    /**
     * What a one-off run of {@code jar} starts with (a command such as {@code folders}): C1, and the pods' archive once
     * one is written, which it never writes itself, since its classes are not a pod's.
     */
    static FastStart forCommand(Path jar) {
        return Boolean.getBoolean(PROPERTY) ? new FastStart(archiveOf(jar), null, false) : OFF;
    }

    List<String> options() {
        if (this == OFF) {
            return List.of();
        }
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
        if (writes) {
            options.add("-XX:ArchiveClassesAtExit=" + draft);
            // the classes it cannot archive (proxies, JFR events) are each a warning line in the pod's log
            options.add("-Xlog:cds*=error");
        } else if (Files.exists(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        return options;
    }

    /** Once the pod has ended: a pod that wrote the archive publishes it; one killed before it could lets the next try. */
    void ended() {
        if (!writes) {
            return;
        }
        try {
            if (Files.size(draft) > 0) {
                Files.move(draft, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // killed with -9, or no archive written: the next pod writes one
        } finally {
            WRITING.set(false);
        }
    }

    private static Path archiveOf(Path jar) {
        try {
            Path folder = Files.createDirectories(Path.of("target", "class-archives"));
            long built = Files.getLastModifiedTime(jar).toMillis();
            return folder.resolve("service-" + built + "-jdk" + Runtime.version().feature() + "."
                    + Runtime.version().update() + ".jsa").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
