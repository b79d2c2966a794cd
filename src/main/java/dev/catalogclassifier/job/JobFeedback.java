package dev.catalogclassifier.job;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of {@code POST /api/v1/jobs/{id}/feedback}: the caller's word about some of a job's results, each by its
 * item's {@code id}: the right {@code category} (a correction) or {@code confirm: true} (the answer was right).
 */
@RegisterForReflection
public record JobFeedback(List<Entry> items) {

    /** One result corrected or confirmed. */
    @RegisterForReflection
    @Schema(name = "FeedbackEntry")
    public record Entry(String id, String category, Boolean confirm) {

        public boolean confirms() {
            return Boolean.TRUE.equals(confirm);
        }
    }

    /**
     * What the feedback did: results corrected and confirmed, and how many became examples of the job's named taxonomy
     * (none for a list sent with the job, or a taxonomy shared with the tenant rather than its own).
     */
    @RegisterForReflection
    public record Applied(int corrected, int confirmed, int examples) {
    }
}
