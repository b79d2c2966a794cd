package dev.catalogclassifier.classify;

/**
 * Where answers of the model that the service trusts go to become examples of the named taxonomy they were asked for
 * (implemented by the taxonomy feature). Written in the background: the item's result never waits for it.
 */
public interface Lessons {

    /**
     * One trusted answer: the item's fields (read as the taxonomy reads items, and what the calibration groups it by),
     * the vector the local classifier ranked it with, the model's category, and whence it came ({@code request:<id>},
     * {@code job:<id>}).
     */
    record Lesson(String name, String description, float[] vector, String category, String origin) {
    }

    /** Learns {@code lesson} into {@code taxonomy} (a stored one of the caller's own). */
    void learn(Taxonomy taxonomy, Lesson lesson);

    /**
     * The caller's word about a result: its item's fields and the right category, corrected or confirmed ({@code
     * confirmed}: the answer given was right), and whether the answer was the LLM's (what the model's precision in the
     * taxonomy is estimated from).
     */
    record Taught(String name, String description, String category, boolean confirmed, boolean ofModel, String origin) {
    }

    /**
     * Makes the caller's corrections and confirmations examples of {@code tenant}'s own taxonomy {@code taxonomy}; a
     * correction replaces what was learnt from the model about the same text. How many became examples (none when the
     * tenant has no taxonomy of that name of its own).
     */
    io.smallrye.mutiny.Uni<Integer> taught(String tenant, String taxonomy, java.util.List<Taught> taught);
}
