package dev.catalogclassifier.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A durable batch job and its running totals. The totals and {@code eventSeq} change only in the transaction
 * that stores results, under a lock on this row, so event ids of one job are handed out in commit order.
 */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(columnDefinition = "varchar(16)")
    public JobStatus status;

    public String execution;
    public String mode;
    public String model;
    /** JSON array of category names. */
    @Column(columnDefinition = "text")
    public String taxonomy;
    /** The stored taxonomy the job names, if any; {@code taxonomy} keeps its categories as they were. */
    @Column(name = "taxonomy_name")
    public String taxonomyName;
    /** llm, local or cascade. */
    public String strategy;
    /** high or low: how much of each photo is sent. */
    @Column(name = "image_detail")
    public String imageDetail;
    @Column(name = "budget_usd")
    public Double budgetUsd;
    /** The precision the job's cascade aims at, as submitted; null for its taxonomy's or the service's. */
    @Column(name = "cascade_precision")
    public Double cascadePrecision;
    /** Text items per model call; 1 sends each alone. */
    public int pack = 1;
    /** Whether each result carries the categories it was chosen from ({@code explain: true}). */
    public boolean explain;
    public int total;
    public int succeeded;
    public int failed;
    public int rejected;
    public int cancelled;
    public int cached;
    /** Results marked for review and not yet corrected or confirmed by the caller. */
    public int review;
    /** Items the in-process classifier answered (also counted in {@code succeeded}). */
    @Column(name = "settled_locally")
    public int settledLocally;
    /** Of the items settled locally in a cascade, those with a calibrated chance of being right, and its sum. */
    @Column(name = "cascade_calibrated")
    public int cascadeCalibrated;
    @Column(name = "cascade_chance_sum")
    public double cascadeChanceSum;
    /** The LLM calls the items settled locally did not need, as estimated. */
    @Column(name = "tokens_saved")
    public long tokensSaved;
    @Column(name = "cost_saved_usd")
    public double costSavedUsd;
    /** Why items were left unsent: {@code budget_exceeded}, or null. */
    @Column(name = "stop_reason", columnDefinition = "varchar(32)")
    public String stopReason;
    @Column(name = "prompt_tokens")
    public long promptTokens;
    @Column(name = "cached_tokens")
    public long cachedTokens;
    @Column(name = "completion_tokens")
    public long completionTokens;
    @Column(name = "cost_usd")
    public double costUsd;
    /** Model calls made for this job's items, over all runs. */
    public long attempts;
    public int retries;
    /** Whether stored answers may settle this job's items ({@code cache: false} on the request says no). */
    @Column(name = "use_cache")
    public boolean useCache = true;
    @Column(name = "event_seq")
    public long eventSeq;
    /** The tenant that submitted it; null on an open service. A {@code text} column (V13), as dev mode's check expects. */
    @Column(columnDefinition = "text")
    public String tenant;
    /** The submit's trace context (W3C {@code traceparent}), so every item's span joins the submit's trace. */
    /** JSON array: the input's columns in order ({@link InputColumns}); null for jobs from before they were kept. */
    @Column(columnDefinition = "text")
    public String columns;
    @Column(name = "trace_parent", columnDefinition = "text")
    public String traceParent;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;

    public int done() {
        return succeeded + failed + rejected + cancelled;
    }
}
