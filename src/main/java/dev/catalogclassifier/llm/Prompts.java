package dev.catalogclassifier.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;

/**
 * The prompts, in one place: {@link ModelClient} sends them, and the Batch API path writes the same ones into its
 * JSONL lines, so both ask the model exactly the same question. Placeholders ({@code {categories}}, {@code {item}})
 * are filled in one pass, so a category or an item that contains such a word is sent as written.
 */
public final class Prompts {

    public static final String SYSTEM = """
        You sort products of an online catalogue into that catalogue's own taxonomy.
        Choose the single category from the list that fits the item best, and copy its name exactly as listed.
        A category may be followed by a colon and a description of what belongs in it; the name is what comes before.
        Give your confidence from 0 to 1.
        """;

    static final String CLASSIFY = """
            Categories:
            {categories}

            Item:
            {item}
            """;

    /** Several items in one question; each item is {@code [id: …]} followed by its text. */
    static final String CLASSIFY_PACK = """
            Categories:
            {categories}

            Items (answer once for each, with its id):
            {items}
            """;

    static final String CLASSIFY_PHOTO = """
            Categories:
            {categories}

            Item (the attached photo shows it; its text is context):
            {item}

            Also list the item's visible features, each with its condition and a quality rating from 1 to 10,
            and sum up the photo in one line.
            """;

    /** Added to a question asked again because its first answer could not be used. */
    static final String AGAIN = """

            Your previous answer could not be used: {problem}
            Answer again with one category copied exactly from the list.
            """;

    static final String PHOTO_BATCH_SYSTEM = """
            You inspect photos of a property's furnishings for a catalogue.
            For each notable item or feature the photos show, give its name, a short description, its condition
            (new, like new, good, fair or poor) and a quality rating from 1 to 10. Then sum the batch up in one line.
            """;

    static final String PHOTO_BATCH = """
            Category: {category}
            Photos attached: {count}
            """;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private Prompts() {
    }

    /** The question about one item's text. */
    public static String classify(String categories, String item) {
        return fill(CLASSIFY, Map.of("categories", categories, "item", item));
    }

    /** The user message of {@code question}: about its text or its photo, asked again when it has a problem. */
    static List<ChatMessage> of(Question question) {
        String template = question.photo() == null ? CLASSIFY : CLASSIFY_PHOTO;
        String text = fill(template, Map.of("categories", question.categories(), "item", question.item()));
        if (question.problem() != null) {
            text = text + fill(AGAIN, Map.of("problem", question.problem()));
        }
        return messages(SYSTEM, text, question.photo() == null ? List.of() : List.of(question.photo()));
    }

    /** The question about several items' texts ({@code [id: …]} each). */
    static List<ChatMessage> pack(String categories, String items) {
        return messages(SYSTEM, fill(CLASSIFY_PACK, Map.of("categories", categories, "items", items)), List.of());
    }

    /** The folder command's question about up to ten photos of one category. */
    static List<ChatMessage> photoBatch(String category, List<ImageContent> photos) {
        return messages(PHOTO_BATCH_SYSTEM,
                fill(PHOTO_BATCH, Map.of("category", category, "count", String.valueOf(photos.size()))), photos);
    }

    private static List<ChatMessage> messages(String system, String text, List<ImageContent> photos) {
        List<Content> contents = new ArrayList<>(1 + photos.size());
        contents.add(TextContent.from(text));
        contents.addAll(photos);
        return List.of(SystemMessage.from(system), UserMessage.from(contents));
    }

    /** {@code template} with each {@code {name}} of {@code values} replaced, once; other braces stay as they are. */
    static String fill(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder text = new StringBuilder(template.length() + 256);
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            placeholder.appendReplacement(text, Matcher.quoteReplacement(value != null ? value : placeholder.group()));
        }
        return placeholder.appendTail(text).toString();
    }
}
