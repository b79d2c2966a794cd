package dev.catalogclassifier.job;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.Item;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One item of a job: what was sent, and once stored, its result. {@code seq} is its event id. */
@Entity
@Table(name = "job_item")
@IdClass(JobItem.Key.class)
public class JobItem extends PanacheEntityBase {

    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    /** (job, index): the unique key that makes storing a redelivered item twice impossible. */
    public static class Key implements Serializable {
        public UUID jobId;
        public int idx;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && idx == key.idx && java.util.Objects.equals(jobId, key.jobId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(jobId, idx);
        }
    }

    @Id
    @Column(name = "job_id")
    public UUID jobId;
    @Id
    public int idx;
    @Column(name = "item_id")
    public String itemId;
    @Column(columnDefinition = "text")
    public String name;
    @Column(columnDefinition = "text")
    public String description;
    @Column(name = "image_url", columnDefinition = "text")
    public String imageUrl;
    /** JSON object, as sent. */
    @Column(columnDefinition = "text")
    public String attributes;
    /** The pod whose relay publishes this item, and in-process whose queue holds it ({@link JobLeases}). */
    public String owner;
    /**
     * Whether a message carries this item ({@link JobRelay}): in-process, it is in its owner's queue; with RabbitMQ,
     * the broker has confirmed it.
     */
    public boolean published;
    /** {@code queued} until a result is stored, then the ItemStatus label. */
    public String status;
    @Column(columnDefinition = "text")
    public String category;
    public Double confidence;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_message", columnDefinition = "text")
    public String errorMessage;
    @Column(name = "error_value")
    public Double errorValue;
    @Column(name = "error_threshold")
    public Double errorThreshold;
    /** JSON array of the photo's features, for photo results. */
    @Column(columnDefinition = "text")
    public String features;
    @Column(columnDefinition = "text")
    public String summary;
    /** JSON array of the categories the item was chosen from, best first ({@code explain: true}). */
    @Column(columnDefinition = "text")
    public String candidates;
    /** The calibrated chance the category is right; null where nothing calibrated says it. */
    public Double chance;
    /** Whether the result is marked for review (below the precision asked); false once the caller has corrected it. */
    public boolean review;
    /** Whether the caller corrected or confirmed this result ({@code POST /jobs/{id}/feedback}). */
    public boolean corrected;
    @Column(name = "processing_type")
    public String processingType;
    public int attempts;
    @Column(name = "latency_ms")
    public long latencyMs;
    public boolean cached;
    public String model;
    @Column(name = "prompt_tokens")
    public int promptTokens;
    @Column(name = "cached_tokens")
    public int cachedTokens;
    @Column(name = "completion_tokens")
    public int completionTokens;
    @Column(name = "cost_usd")
    public double costUsd;
    public Long seq;

    static final String QUEUED = "queued";

    public boolean stored() {
        return !QUEUED.equals(status);
    }

    /** The item as it was submitted. */
    public Item item(ObjectMapper json) {
        return item(itemId, name, description, imageUrl, attributes, json);
    }

    /** An item as it was submitted, from its stored columns. */
    static Item item(String itemId, String name, String description, String imageUrl, String attributes,
            ObjectMapper json) {
        try {
            Map<String, Object> parsed = attributes == null ? null : json.readValue(attributes, ATTRIBUTES);
            return new Item(itemId, name, description, imageUrl, parsed);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored attributes of item " + itemId + " are not JSON", e);
        }
    }
}
