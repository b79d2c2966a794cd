package dev.catalogclassifier.llm;

import java.util.List;

import dev.langchain4j.data.message.ImageContent;

/**
 * One thing to ask the model about one item. {@code categories} is the list the prompt shows (with descriptions),
 * {@code choices} the category names the answer's schema allows, the same categories. {@code photo} is the item's
 * photo, ready to send (JPEG, base64), or null for a text question. {@code problem} is set when we ask again
 * because the previous answer was unusable, and says why.
 */
public record Question(String categories, List<String> choices, String item, ImageContent photo, String problem) {

    public Question {
        choices = List.copyOf(choices);
    }

    public Question again(String why) {
        return new Question(categories, choices, item, photo, why);
    }
}
