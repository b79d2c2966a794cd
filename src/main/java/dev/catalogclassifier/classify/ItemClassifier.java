package dev.catalogclassifier.classify;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.catalogclassifier.cache.ResultCache;
import dev.catalogclassifier.image.PhotoDetail;
import dev.catalogclassifier.image.PhotoPipeline;
import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.CategoryAnswer;
import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.PhotoAnswer;
import dev.catalogclassifier.llm.ModelCall;
import dev.catalogclassifier.llm.ModelClient;
import dev.catalogclassifier.llm.ProviderException;
import dev.catalogclassifier.llm.Question;
import io.quarkus.logging.Log;

/**
 * Classifies one item and always returns a result: every failure becomes a {@code failed} or
 * {@code rejected} ItemResult with a code, so one bad item never spoils its batch.
 * An answer that does not parse, or names no category of the taxonomy, is asked again once with the reason.
 */
@ApplicationScoped
public class ItemClassifier {

    private final ModelClient client;
    private final PhotoPipeline photos;
    private final PriceTable prices;

    public ItemClassifier(ModelClient client, PhotoPipeline photos, PriceTable prices) {
        this.client = client;
        this.photos = photos;
        this.prices = prices;
    }

    /** Whether the model is shown the item's photo: when it has one, in image and auto mode. */
    public static boolean usesPhoto(Item item, Mode mode) {
        return item.hasImage() && mode != Mode.TEXT;
    }

    /** Why an item cannot be classified in this mode ({@code image_missing}, {@code text_missing}), or null. */
    static String precheckCode(Item item, Mode mode) {
        if (mode == Mode.IMAGE && !item.hasImage()) {
            return "image_missing";
        }
        if (mode == Mode.TEXT && !item.hasText()) {
            return "text_missing";
        }
        return null;
    }

    /**
     * The result of an item {@link ItemPipeline#route} rejects: it cannot be read in the plan's mode, or the
     * plan is local and the item has only a photo. Nothing is spent on it.
     */
    static ItemResult rejection(int index, Item item, Plan plan) {
        String code = precheckCode(item, plan.mode());
        if (code == null) {
            return ItemResult.localReadsText(index, item.id());
        }
        return ItemResult.rejected(index, item.id(), code, code.equals("image_missing")
                ? "mode image needs the item's image_url" : "mode text needs the item's name");
    }

    /**
     * The result-cache key of this item: its tenant's, the model, the taxonomy ({@code taxonomy}: its prompt list, or the
     * fingerprint of a large one) and the item as the model reads it. Null for a photo question: a stored answer has
     * no features to give back, and the photo behind a URL may change.
     */
    public String cacheKey(String tenant, Item item, String taxonomy, String model, Mode mode) {
        return usesPhoto(item, mode) ? null : ResultCache.key(tenant, model, taxonomy, describe(item));
    }

    /** An item's photo ready to send, or the item's rejection when the photo failed a check or a fetch limit. */
    public record Photo(PhotoPipeline.Ready ready, ItemResult rejected) {
    }

    /**
     * Fetches, checks and scales an item's photo; blocks, for seconds when a server is slow, so callers run it
     * on the item's virtual thread before it takes a model-call slot, never while holding one.
     */
    public Photo photo(int index, Item item, PhotoDetail detail) {
        try {
            return new Photo(photos.prepare(item.imageUrl(), detail), null);
        } catch (PhotoPipeline.Rejected e) {
            return new Photo(null, ItemResult.rejectedPhoto(index, item.id(), e.code(), e.getMessage(), e.value(),
                    e.threshold()));
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            Log.errorf(e, "The photo of item %d failed unexpectedly (%s)", index, id);
            return new Photo(null, ItemResult.failed(index, item.id(), "internal_error",
                    "something went wrong on our side; quote " + id + " when reporting it",
                    new ItemResult.Outcome(0, 0, null, null)));
        }
    }

    /**
     * Blocks for the model; call it on the item's own virtual thread. {@code photo} is null for a text question.
     * A question the {@code budget} cannot take is not sent: the item ends {@code cancelled} with {@code budget_exceeded}.
     */
    public ItemResult classify(int index, Item item, Plan plan, Work work, PhotoPipeline.Ready photo) {
        return classify(index, item, plan, work, photo, asking -> decide(item, plan, asking));
    }

    /**
     * A text item a pack's answer put in {@code category}, a category of a large taxonomy with narrower ones: the walk
     * goes on down from it, as {@link #decide} does for an item asked alone.
     */
    ItemResult narrow(int index, Item item, Plan plan, Work work, String category, double confidence) {
        Picked from = new Picked(new PhotoAnswer(category, confidence, null, null), category, null);
        return classify(index, item, plan, work, null, asking -> walk(plan.large(), from, asking));
    }

    /** Whether a pack's answer {@code category} of a walkable plan could be narrower (see {@link #narrow}). */
    static boolean narrowable(Plan plan, String category) {
        return plan.walks() && couldNarrow(plan, category);
    }

    private ItemResult classify(int index, Item item, Plan plan, Work work, PhotoPipeline.Ready photo,
            java.util.function.Function<Asking, Picked> deciding) {
        ModelCall call = new ModelCall(plan.model(), work.flow(), work.cancelled());
        long start = System.nanoTime();
        try {
            Picked picked = deciding.apply(new Asking(describe(item), photo, call, work));
            if (picked.problem() != null) {
                return ItemResult.failed(index, item.id(), "invalid_answer",
                        "the model's answer was unusable twice; last time " + picked.problem(), outcome(call, start));
            }
            return photo == null ? ItemResult.ok(index, item.id(), picked.category(), picked.answer().confidence(), outcome(call, start))
                    : ItemResult.okFromPhoto(index, item.id(), picked.answer(), picked.category(), outcome(call, start));
        } catch (OverBudget e) {
            return ItemResult.budgetExceeded(index, item.id(), plan.model());
        } catch (ModelCall.Cancelled | TimeoutException | ProviderException e) {
            return failure(index, item.id(), e, call.attempts(), outcome(call, start));
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            Log.errorf(e, "Item %d failed unexpectedly (%s)", index, id);
            return ItemResult.failed(index, item.id(), "internal_error",
                    "something went wrong on our side; quote " + id + " when reporting it", outcome(call, start));
        }
    }

    /** One item's questions: its text as the model reads it, its photo (null: none), its call and its work's budget. */
    private record Asking(String item, PhotoPipeline.Ready photo, ModelCall call, Work work) {
    }

    /** A question's outcome: the answer and the category it names, in the taxonomy's spelling; or why it was unusable. */
    private record Picked(PhotoAnswer answer, String category, String problem) {
        boolean noneFits() {
            return TaxonomyTree.NONE_OF_THESE.equals(category);
        }
    }

    /** The budget cannot take the next question. */
    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false);
        }
    }

    /**
     * The item's category. Of a taxonomy the model sees whole, one question. Of a large one, the item's shortlist with a
     * way out ("none of these") when the tree can be walked; the walk from the top when the model takes it, or when the
     * item has no shortlist (a photo without text).
     */
    private Picked decide(Item item, Plan plan, Asking asking) {
        if (!plan.walks()) {
            return pick(plan.taxonomy(), false, asking);
        }
        Picked picked = plan.taxonomy().size() == 0 ? null : pick(plan.taxonomy(), true, asking);
        if (picked == null || picked.noneFits()) {
            return walk(plan.large(), null, asking);
        }
        return picked.problem() == null && couldNarrow(plan, picked.category()) ? walk(plan.large(), picked, asking) : picked;
    }

    /**
     * Whether an answer from a shortlist could be narrower: the category has narrower ones in the tree. The shortlist
     * holds what the local model ranked near the item, so the ones below a broad answer may well be missing from it; the
     * walk goes on down from the answer, offering it first, so a model that meant the broad category keeps it.
     */
    private static boolean couldNarrow(Plan plan, String category) {
        return !plan.large().tree().step(category).isEmpty();
    }

    /**
     * Walks the taxonomy's tree from the top, or on down from {@code from} when not null, a level a question: each offers
     * a node's children (and the node itself first when it is a category), so each answer is a whole path of the
     * taxonomy. Ends at a leaf, or where the model keeps the node.
     */
    private Picked walk(Plan.Large large, Picked from, Asking asking) {
        TaxonomyTree tree = large.tree();
        Picked at = from;
        for (int step = 0; step < tree.depth(); step++) {
            List<String> options = tree.step(at == null ? null : at.category());
            if (options.isEmpty()) {
                break;
            }
            Picked next = pick(large.whole().restrictedTo(options), false, asking);
            if (next.problem() != null || at != null && next.category().equals(at.category())) {
                return next;
            }
            at = next;
        }
        return at;
    }

    /**
     * One question among {@code offered} (and "none of these" when {@code wayOut}), asked once more with the reason when
     * the answer is unusable. A text question's answer is read as a photo answer without features, so both kinds share
     * this loop. Each question reserves its estimated price from the budget first.
     */
    private Picked pick(Taxonomy offered, boolean wayOut, Asking asking) {
        Budget.Reservation reservation = asking.work().budget().reserve(prices.estimate(asking.call().model(),
                asking.item().length() + offered.asPromptList().length(), asking.photo() != null));
        if (reservation == null) {
            throw new OverBudget();
        }
        double before = asking.call().usage().costUsd();
        try {
            return askTwice(offered, wayOut, asking);
        } finally {
            asking.work().budget().settle(reservation, asking.call().usage().costUsd() - before);
        }
    }

    private Picked askTwice(Taxonomy offered, boolean wayOut, Asking asking) {
        Choices choices = wayOut ? Choices.of(offered).withNoneOfThese() : Choices.of(offered);
        Question question = new Question(choices.list(), choices.names(), asking.item(),
                asking.photo() == null ? null : asking.photo().image(), null);
        String problem = null;
        for (int round = 1; round <= 2; round++) {
            Question asked = round == 1 ? question : question.again(problem);
            ModelCall call = asking.call();
            PhotoAnswer answer = asking.photo() == null ? ask(() -> PhotoAnswer.of(client.ask(asked, call)), call)
                    : ask(() -> client.askAboutPhoto(asked, call), call);
            if (answer != null && wayOut && Choices.noneFits(answer.category())) {
                return new Picked(answer, TaxonomyTree.NONE_OF_THESE, null);
            }
            problem = answer == null ? problemWith(null, 0, offered) : problemWith(answer.category(), answer.confidence(), offered);
            if (problem == null) {
                return new Picked(answer, offered.match(answer.category()).orElseThrow(), null);
            }
        }
        return new Picked(null, null, problem);
    }

    /**
     * A provider failure propagates. When the provider did answer but the answer could not be read
     * into a {@link CategoryAnswer}, the answer was unreadable: that comes back as {@code null}.
     */
    private <T> T ask(java.util.function.Supplier<T> asking, ModelCall call) {
        int answersBefore = call.answers();
        try {
            return asking.get();
        } catch (ProviderException | FaultToleranceException | ModelCall.Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            if (call.answers() == answersBefore) {
                throw e;
            }
            Log.debugf("Unreadable model answer: %s", e.getMessage());
            return null;
        }
    }

    private static String problemWith(String category, double confidence, Taxonomy taxonomy) {
        if (category == null) {
            return "it was not JSON of the form {\"category\": \"…\", \"confidence\": 0.9}";
        }
        if (taxonomy.match(category).isEmpty()) {
            return "\"" + clip(category) + "\" is not one of the categories";
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            return "the confidence " + confidence + " is not between 0 and 1";
        }
        return null;
    }

    public static String describe(Item item) {
        StringBuilder text = new StringBuilder("Name: ").append(item.hasText() ? item.name().strip() : "(none; see the photo)");
        if (item.description() != null && !item.description().isBlank()) {
            text.append("\nDescription: ").append(item.description().strip());
        }
        Map<String, Object> attributes = item.attributes();
        if (attributes != null && !attributes.isEmpty()) {
            text.append("\nAttributes: ").append(attributes.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        return text.toString();
    }

    /** The result of an item whose model call ended in {@code e}: cancelled, timed out or refused by the provider. */
    static ItemResult failure(int index, String id, RuntimeException e, int attempts, ItemResult.Outcome outcome) {
        return switch (e) {
            case ModelCall.Cancelled c -> ItemResult.cancelled(index, id, outcome);
            case TimeoutException t -> ItemResult.failed(index, id, "timeout",
                    "the provider gave no answer in time, " + attempts + " attempt(s)", outcome);
            case ProviderException p -> ItemResult.failed(index, id, code(p), p.getMessage() + ", " + attempts + " attempt(s)",
                    outcome);
            default -> throw e;
        };
    }

    private static String code(ProviderException e) {
        if (e instanceof ProviderException.Down) {
            return "provider_unreachable";
        }
        int status = e.status();
        if (status == 401 || status == 403) {
            return "provider_auth";
        }
        if (status == 429) {
            return "rate_limited";
        }
        if (status >= 500) {
            return "provider_error";
        }
        return status == 0 ? "provider_unreachable" : "provider_rejected";
    }

    private static ItemResult.Outcome outcome(ModelCall call, long start) {
        return new ItemResult.Outcome(call.attempts(), (System.nanoTime() - start) / 1_000_000 - call.queuedMillis(),
                call.model(), call.usage());
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
