package dev.catalogclassifier.job;

/** The values of a job's {@code execution}. */
public final class Execution {

    /** Items go to the workers one by one, through the provider pool. */
    public static final String REALTIME = "realtime";
    /** Items go to the OpenAI Batch API in files, at the batch discount, answered within 24 hours. */
    public static final String BATCH_API = "batch-api";

    private Execution() {
    }
}
