package dev.catalogclassifier.llm;

/**
 * One thing to ask the model about one item. {@code problem} is set when we ask again because the previous
 * answer was unusable, and says why.
 */
public record Question(String categories, String item, String problem) {

    public Question again(String why) {
        return new Question(categories, item, why);
    }
}
