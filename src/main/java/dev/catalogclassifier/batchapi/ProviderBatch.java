package dev.catalogclassifier.batchapi;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One Batch API batch of a job: items {@code firstIndex} to {@code firstIndex + itemCount - 1} (or, for a round of
 * a walk down a large taxonomy, the items its {@code steps} list), and how far it got. Each step's id is stored as soon as the provider gives it, so a restarted pod carries on from there:
 * it never uploads a file twice or creates a second batch for the same items.
 */
@Entity
@Table(name = "provider_batch")
public class ProviderBatch extends PanacheEntityBase {

    /** Not uploaded yet. */
    public static final String PENDING = "pending";
    /** File uploaded, batch not created yet. */
    public static final String UPLOADED = "uploaded";
    /** Created at the provider; polled until it ends. */
    public static final String SUBMITTED = "submitted";
    /** Results stored. */
    public static final String DONE = "done";
    /** The job was cancelled; the provider was asked to cancel the batch. */
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "key_alias")
    public String keyAlias;
    @Column(name = "first_index")
    public int firstIndex;
    @Column(name = "item_count")
    public int itemCount;
    @Column(columnDefinition = "varchar(16)")
    public String status;
    @Column(name = "input_file_id")
    public String inputFileId;
    @Column(name = "batch_id")
    public String batchId;
    @Column(name = "output_file_id")
    public String outputFileId;
    @Column(name = "error_file_id")
    public String errorFileId;
    /** Its items' estimated cost at the batch price: booked to the tenant when planned, corrected at the end. */
    @Column(name = "estimated_usd")
    public double estimatedUsd;
    public int polls;
    /** 0 for a job's first questions; n for the n-th level of a walk down a large taxonomy's tree. */
    public int round;
    /** A walk's batch: its items and where each stands ({@link BatchSteps.Step}, as JSON); null for a range of items. */
    @Column(columnDefinition = "text")
    public String steps;
    @Column(name = "next_poll_at")
    public Instant nextPollAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    static ProviderBatch of(UUID jobId, String keyAlias, int firstIndex, int itemCount, double estimatedUsd) {
        ProviderBatch b = new ProviderBatch();
        b.estimatedUsd = estimatedUsd;
        b.id = UUID.randomUUID();
        b.jobId = jobId;
        b.keyAlias = keyAlias;
        b.firstIndex = firstIndex;
        b.itemCount = itemCount;
        b.status = PENDING;
        b.createdAt = Instant.now();
        b.updatedAt = b.createdAt;
        b.nextPollAt = b.createdAt;
        return b;
    }
}
