package dev.catalogclassifier.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fixed pool of platform threads for CPU-bound work (embedding, photo checks, calibration): sized to the cores,
 * since more threads than cores only queue in the scheduler, and never a thread per item. Daemon threads, so a
 * pool its owner forgot to shut down cannot hold the JVM open.
 */
public final class CpuPool {

    private CpuPool() {
    }

    /** {@code threads} threads named {@code name-0}, {@code name-1}, …; 0 or less means one per core. */
    public static ExecutorService of(String name, int threads) {
        int size = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return Executors.newFixedThreadPool(size, Thread.ofPlatform().name(name + "-", 0).daemon().factory());
    }
}
