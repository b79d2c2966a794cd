package dev.catalogclassifier.job;

/**
 * Which job items are realtime work (published to the {@code job-items} channel and classified by a worker), as
 * one SQL condition on {@code job_item c JOIN job j}, so the relay that publishes them and the take-over that moves
 * them between pods can never disagree: a queued item of a live job, unless it is the Batch API runner's (its job
 * not planned yet, or a batch open over it).
 */
final class RealtimeWork {

    static final String ITEMS = """
            c.status = 'queued' AND j.status IN ('QUEUED', 'RUNNING')
              AND NOT (j.execution = 'batch-api' AND j.status = 'QUEUED')
              AND NOT EXISTS (SELECT 1 FROM provider_batch b WHERE b.job_id = c.job_id
                              AND b.status NOT IN ('done', 'cancelled')
                              AND c.idx >= b.first_index AND c.idx < b.first_index + b.item_count)""";

    private RealtimeWork() {
    }
}
