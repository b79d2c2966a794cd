package dev.catalogclassifier.cache;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A stored answer, keyed by the SHA-256 of what the model was asked. */
@Entity
@Table(name = "classification_cache")
public class CachedAnswer extends PanacheEntityBase {

    @Id
    @Column(columnDefinition = "char(64)")
    public String key;
    @Column(columnDefinition = "text")
    public String category;
    public double confidence;
    /** The chance the answer was judged to have of being right when it was given; null when it was not judged. */
    public Double chance;
    public String model;
    @Column(name = "created_at")
    public Instant createdAt;
}
