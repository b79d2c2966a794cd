package dev.catalogclassifier.llm;

import dev.langchain4j.data.message.ImageContent;

/**
 * One thing to ask the model about one item. {@code photo} is the item's photo, ready to send (JPEG, base64), or
 * null for a text question. {@code problem} is set when we ask again because the previous answer was unusable,
 * and says why.
 */
public record Question(String categories, String item, ImageContent photo, String problem) {

    public Question(String categories, String item, String problem) {
        this(categories, item, null, problem);
    }

    public Question again(String why) {
        return new Question(categories, item, photo, why);
    }
}
