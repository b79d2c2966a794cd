package dev.catalogclassifier.llm;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;

/**
 * The folder command's prompt (photos as {@link ImageContent}, so their detail level is ours to set): up to 10 photos of one category of one property in a single call, which costs
 * far fewer tokens than one call per photo (the instructions are paid once). No chat memory, as for items.
 */
@ApplicationScoped
@RegisterAiService(chatLanguageModelSupplier = RoutingChatModel.Supplier.class,
        chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
@SystemMessage("""
        You inspect photos of a property's furnishings for a catalogue.
        For each notable item or feature the photos show, give its name, a short description, its condition
        (new, like new, good, fair or poor) and a quality rating from 1 to 10. Then sum the batch up in one line.
        """)
public interface PhotoBatchAssistant {

    @UserMessage("""
            Category: {category}
            Photos attached: {count}
            """)
    PhotoBatchAnswer describe(String category, int count, @UserMessage List<ImageContent> photos);
}
