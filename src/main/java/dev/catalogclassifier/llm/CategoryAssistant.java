package dev.catalogclassifier.llm;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;

/**
 * The classification prompt. No chat memory: every item is a conversation of its own, and concurrent items
 * must never see each other's messages. The model comes from {@link RoutingChatModel}, which routes each call
 * to a provider key and the model the request chose. Application-scoped: items run on their own virtual
 * threads, where no request context exists. A photo is a parameter of type {@link ImageContent}, annotated
 * {@code @UserMessage} so that Quarkus adds it to the message, with the detail level we chose.
 */
@ApplicationScoped
@RegisterAiService(chatLanguageModelSupplier = RoutingChatModel.Supplier.class,
        chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
@SystemMessage(Prompts.SYSTEM)
public interface CategoryAssistant {

    @UserMessage(Prompts.CLASSIFY)
    CategoryAnswer classify(String categories, String item);

    @UserMessage(Prompts.CLASSIFY_PACK)
    PackAnswer classifyPack(String categories, String items);

    @UserMessage("""
            Categories:
            {categories}

            Item:
            {item}

            Your previous answer could not be used: {problem}
            Answer again with one category copied exactly from the list.
            """)
    CategoryAnswer classifyAgain(String categories, String item, String problem);

    @UserMessage("""
            Categories:
            {categories}

            Item (the attached photo shows it; its text is context):
            {item}

            Also list the item's visible features, each with its condition and a quality rating from 1 to 10,
            and sum up the photo in one line.
            """)
    PhotoAnswer classifyPhoto(String categories, String item, @UserMessage ImageContent photo);

    @UserMessage("""
            Categories:
            {categories}

            Item (the attached photo shows it; its text is context):
            {item}

            Also list the item's visible features, each with its condition and a quality rating from 1 to 10,
            and sum up the photo in one line.

            Your previous answer could not be used: {problem}
            Answer again with one category copied exactly from the list.
            """)
    PhotoAnswer classifyPhotoAgain(String categories, String item, @UserMessage ImageContent photo, String problem);
}
