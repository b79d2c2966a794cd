package dev.catalogclassifier.llm;

/**
 * The text prompts, in one place: {@link CategoryAssistant} uses them through its annotations, and the Batch API
 * path renders the same ones into its JSONL lines, so both ask the model exactly the same question.
 * Placeholders are Qute expressions ({@code {categories}}, {@code {item}}).
 */
public final class Prompts {

    public static final String SYSTEM = """
        You sort products of an online catalogue into that catalogue's own taxonomy.
        Choose the single category from the list that fits the item best, and copy its name exactly as listed.
        A category may be followed by a colon and a description of what belongs in it; the name is what comes before.
        Give your confidence from 0 to 1.
        """;

    public static final String CLASSIFY = """
            Categories:
            {categories}

            Item:
            {item}
            """;

    /** Several items in one question; each item is {@code [id: …]} followed by its text. */
    public static final String CLASSIFY_PACK = """
            Categories:
            {categories}

            Items (answer once for each, with its id):
            {items}
            """;

    private Prompts() {
    }

    /** {@link #CLASSIFY} with its placeholders filled, as the AI service renders it. */
    public static String classify(String categories, String item) {
        return CLASSIFY.replace("{categories}", categories).replace("{item}", item);
    }
}
