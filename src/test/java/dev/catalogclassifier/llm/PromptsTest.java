package dev.catalogclassifier.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;

/** The messages a model call sends: what the model reads, filled in one pass. */
class PromptsTest {

    @Test
    void aCategoryOrItemThatLooksLikeAPlaceholderIsSentAsWritten() {
        String text = Prompts.classify("Beds\nTemplates {item}", "Name: {categories} poster");
        assertThat(text).isEqualTo("Categories:\nBeds\nTemplates {item}\n\nItem:\nName: {categories} poster\n");
    }

    @Test
    void aQuestionAskedAgainSaysWhyAfterTheItem() {
        Question question = new Question("Beds\nChairs", List.of("Beds", "Chairs"), "Name: MALM", null, "\"Sofas\" is not one of the categories");
        List<ChatMessage> messages = Prompts.of(question.again("\"Sofas\" is not one of the categories"));
        assertThat(messages).hasSize(2);
        assertThat(((SystemMessage) messages.get(0)).text()).isEqualTo(Prompts.SYSTEM);
        assertThat(((UserMessage) messages.get(1)).singleText()).isEqualTo("""
                Categories:
                Beds
                Chairs

                Item:
                Name: MALM

                Your previous answer could not be used: "Sofas" is not one of the categories
                Answer again with one category copied exactly from the list.
                """);
    }
}
