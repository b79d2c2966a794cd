package dev.catalogclassifier.classify;

import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.catalogclassifier.llm.ProviderPool;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /api/v1/classifications}: the same batch answered whole as JSON, or streamed as server-sent
 * events ({@code item} per result as it completes, {@code progress} after each, {@code summary} last),
 * chosen by the Accept header.
 */
@Path("/api/v1/classifications")
@Consumes(MediaType.APPLICATION_JSON)
public class ClassificationResource {

    private final RequestValidator validator;
    private final BatchClassifier classifier;
    private final ProviderPool providers;

    public ClassificationResource(RequestValidator validator, BatchClassifier classifier, ProviderPool providers) {
        this.validator = validator;
        this.classifier = classifier;
        this.providers = providers;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ClassificationResponse> classify(ClassificationRequest body) {
        ValidatedRequest request = accept(body);
        BatchTracker tracker = new BatchTracker(request.items().size());
        return classifier.classify(request, tracker).collect().asList()
                .map(results -> new ClassificationResponse(inRequestOrder(results), tracker.summary()));
    }

    @POST
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(ClassificationRequest body, @Context Sse sse) {
        ValidatedRequest request = accept(body);
        BatchTracker tracker = new BatchTracker(request.items().size());
        return classifier.classify(request, tracker)
                .onItem().transformToIterable(result -> List.of(
                        event(sse, "item", result), event(sse, "progress", tracker.progress())))
                .onCompletion().switchTo(() -> Multi.createFrom().item(event(sse, "summary", tracker.summary())));
    }

    private ValidatedRequest accept(ClassificationRequest body) {
        ValidatedRequest request = validator.validate(body);
        if (request.strategy() != Strategy.LOCAL && !providers.configured()) {
            throw ProviderPool.noKey();
        }
        return request;
    }

    private static List<ItemResult> inRequestOrder(List<ItemResult> results) {
        return results.stream().sorted(Comparator.comparingInt(ItemResult::index)).toList();
    }

    private static OutboundSseEvent event(Sse sse, String name, Object data) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build();
    }
}
