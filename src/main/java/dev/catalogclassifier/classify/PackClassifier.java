package dev.catalogclassifier.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.ModelCall;
import dev.catalogclassifier.llm.ModelClient;
import dev.catalogclassifier.llm.PackAnswer;
import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.Prompts;
import dev.catalogclassifier.llm.ProviderException;
import dev.catalogclassifier.llm.Usage;
import io.quarkus.logging.Log;

/**
 * Classifies up to {@link #MAX_PACK} text items in one model call ({@code "pack": k} on a request), which sends
 * the taxonomy once instead of once per item. The answer is a list keyed by each item's place in the pack. An
 * item whose entry is missing, repeated or unusable is asked again on its own, so a bad entry costs only its item a
 * second call; entries for keys not in the pack are ignored. Of a large taxonomy, the pack's shortlists are offered
 * together with "none of these"; an item the model says none fits walks the tree alone, and one it puts in a category
 * with narrower ones goes on down from there. The call's tokens and cost are shared evenly by its items.
 */
@ApplicationScoped
public class PackClassifier {

    /** The most items one call may carry: answers get less reliable as the list grows. */
    public static final int MAX_PACK = 20;

    private final ModelClient client;
    private final ItemClassifier single;
    private final PriceTable prices;

    public PackClassifier(ModelClient client, ItemClassifier single, PriceTable prices) {
        this.client = client;
        this.single = single;
        this.prices = prices;
    }

    /** One result per item, in the order given; blocks, so call it on a virtual thread. */
    public List<ItemResult> classify(List<Integer> indexes, List<Item> items, Plan plan, Work work) {
        Taxonomy taxonomy = plan.taxonomy();
        String model = plan.model();
        Budget budget = work.budget();
        String text = render(items);
        Budget.Reservation reservation = budget.reserve(prices.estimate(model,
                text.length() + taxonomy.asPromptList().length(), false));
        if (reservation == null) {
            List<ItemResult> stopped = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                stopped.add(ItemResult.budgetExceeded(indexes.get(i), items.get(i).id(), model));
            }
            return stopped;
        }
        long start = System.nanoTime();
        ModelCall call = new ModelCall(model, work.flow(), work.cancelled());
        PackAnswer answer = null;
        try {
            Choices choices = plan.walks() ? Choices.of(taxonomy).withNoneOfThese() : Choices.of(taxonomy);
            answer = client.askPack(choices.list(), choices.names(), text, call);
        } catch (ProviderException | TimeoutException | ModelCall.Cancelled e) {
            budget.settle(reservation, call.usage().costUsd());
            return failedAll(indexes, items, e, call, start);
        } catch (RuntimeException e) {
            Log.debugf("Unreadable pack answer: %s", e.getMessage()); // every item is asked alone below
        }
        budget.settle(reservation, call.usage().costUsd());
        return mapBack(indexes, items, answer, plan, call, start, work);
    }

    private List<ItemResult> mapBack(List<Integer> indexes, List<Item> items, PackAnswer answer, Plan plan,
            ModelCall call, long start, Work work) {
        Taxonomy taxonomy = plan.taxonomy();
        Map<String, List<PackAnswer.Entry>> byId = new HashMap<>();
        if (answer != null && answer.answers() != null) {
            answer.answers().stream().filter(e -> e != null && e.id() != null)
                    .forEach(e -> byId.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e));
        }
        List<ItemResult> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ItemResult.Outcome shared = shared(call, start, items.size(), i);
            Item item = items.get(i);
            List<PackAnswer.Entry> entries = byId.getOrDefault(key(i), List.of());
            PackAnswer.Entry entry = entries.size() == 1 ? entries.getFirst() : null;
            if (entry != null && plan.walks() && Choices.noneFits(entry.category())) {
                // none of the pack's shortlists fits it: the model walks the tree for this item alone
                results.add(withShare(single.classify(indexes.get(i), item, plan.shortlisted(
                        plan.taxonomy().restrictedTo(List.of()), plan.large()), work, null), shared));
                continue;
            }
            var category = entry == null || entry.category() == null ? java.util.Optional.<String>empty() : taxonomy.match(entry.category());
            boolean sure = entry != null && entry.confidence() >= 0 && entry.confidence() <= 1;
            if (category.isPresent() && sure && ItemClassifier.narrowable(plan, category.get())) {
                results.add(withShare(single.narrow(indexes.get(i), item, plan, work, category.get(), entry.confidence()), shared));
            } else if (category.isPresent() && sure) {
                results.add(ItemResult.ok(indexes.get(i), item.id(), category.get(), entry.confidence(), shared));
            } else {
                results.add(withShare(single.classify(indexes.get(i), item, plan, work, null), shared));
            }
        }
        return results;
    }

    /** An item asked again alone also carries its share of the pack call it was part of. */
    private static ItemResult withShare(ItemResult alone, ItemResult.Outcome shared) {
        return alone.after(shared);
    }

    private static List<ItemResult> failedAll(List<Integer> indexes, List<Item> items, RuntimeException e, ModelCall call,
            long start) {
        List<ItemResult> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            results.add(ItemClassifier.failure(indexes.get(i), items.get(i).id(), e, call.attempts(),
                    shared(call, start, items.size(), i)));
        }
        return results;
    }

    /**
     * The items under keys of their own, 1 to n: a caller's ids may be long (tokens paid for in every pack) and
     * may hold anything, {@code ]} included, which would break the framing the model reads.
     */
    static String render(List<Item> items) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            text.append("[id: ").append(key(i)).append("]\n")
                    .append(ItemClassifier.describe(items.get(i)).replaceAll("\n\\s*\n", "\n")).append('\n');
        }
        return text.toString().strip();
    }

    private static String key(int position) {
        return String.valueOf(position + 1);
    }

    /** Item {@code i}'s part of the call: its share of the usage, and the call's attempts and time. */
    private static ItemResult.Outcome shared(ModelCall call, long start, int n, int i) {
        Usage total = call.usage();
        Usage share = new Usage(part(total.promptTokens(), n, i), part(total.cachedTokens(), n, i),
                part(total.completionTokens(), n, i), total.costUsd() / n);
        return new ItemResult.Outcome(call.attempts(), (System.nanoTime() - start) / 1_000_000 - call.queuedMillis(),
                call.model(), share);
    }

    /** Whole tokens, the remainder to the first items, so the shares add up to the call's count exactly. */
    private static long part(long tokens, int n, int i) {
        return tokens / n + (i < tokens % n ? 1 : 0);
    }
}
