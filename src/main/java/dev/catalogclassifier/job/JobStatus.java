package dev.catalogclassifier.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a job stands. A job is finished once it is completed, failed or cancelled. */
public enum JobStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    @JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
