package dev.catalogclassifier.llm;

/**
 * One stream of work that takes its turn for model calls in {@link ModelCallScheduler}: a streaming request, a
 * job (all its items on this pod, whichever message brought them) or a folder run. Equal by value, so every item
 * of a job names the same flow without sharing an object. {@code tenant} is whose work it is (null on an open
 * service): flows take turns within their tenant, and tenants take turns with each other.
 */
public record Flow(Kind kind, String id, String tenant) {

    /** What a flow serves, which sets its weight. */
    public enum Kind {
        /** A streaming or JSON classification request: someone is waiting for it. */
        REQUEST,
        /** A durable job: its caller comes back for the results, and it may yield to requests. */
        JOB,
        /** The folder command: one operator's run, alone in its process. */
        FOLDER
    }

    public static Flow request(String id, String tenant) {
        return new Flow(Kind.REQUEST, id, tenant);
    }

    public static Flow job(Object jobId, String tenant) {
        return new Flow(Kind.JOB, String.valueOf(jobId), tenant);
    }

    /** The folder command's run: it has no callers, so no tenant. */
    public static Flow folder(String id) {
        return new Flow(Kind.FOLDER, id, null);
    }
}
