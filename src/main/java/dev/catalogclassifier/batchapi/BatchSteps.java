package dev.catalogclassifier.batchapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.cascade.Cascades;
import dev.catalogclassifier.classify.Choices;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.ItemStatus;
import dev.catalogclassifier.classify.ShortlistConfig;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.classify.TaxonomyTree;
import dev.catalogclassifier.classify.TaxonomyTrees;
import dev.catalogclassifier.job.Job;
import dev.catalogclassifier.job.JobItem;
import dev.catalogclassifier.llm.Flow;
import dev.catalogclassifier.llm.Usage;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * What each item of a Batch API job is asked, round by round. A taxonomy that fits one prompt is asked whole, once. Of
 * a large one, round 0 offers each item its shortlist (ranked by the local classifier when the batch is submitted, not
 * in the planner's transaction) with the way out, as the realtime path does; an item the model says none fits, or puts
 * in a category with narrower ones, goes on to the next round, asked the next level of the tree below where it stands,
 * until it reaches a leaf or keeps a category. Each round is a batch of its own, at batch price.
 */
@ApplicationScoped
public class BatchSteps {

    /** Where an item stands after a round: the node it is asked below next ("": the top), and what it has cost so far. */
    record Step(int index, String node, int attempts, long latencyMs, Usage usage) {

        ItemResult.Outcome spent(String model) {
            return new ItemResult.Outcome(attempts, latencyMs, model, usage);
        }
    }

    /** A finished round: results to store, and the items that go on to the next round. */
    record Round(List<ItemResult> finished, List<Step> next) {
    }

    private static final TypeReference<List<Step>> STEPS = new TypeReference<>() { };

    private final LocalClassifier local;
    private final ShortlistConfig shortlists;
    private final TaxonomyTrees trees;
    private final Cascades cascades;
    private final ObjectMapper json;

    public BatchSteps(LocalClassifier local, ShortlistConfig shortlists, TaxonomyTrees trees, Cascades cascades, ObjectMapper json) {
        this.local = local;
        this.shortlists = shortlists;
        this.trees = trees;
        this.cascades = cascades;
        this.json = json;
    }

    /** Whether items of {@code taxonomy} are asked from a shortlist rather than the whole list. */
    boolean shortlisted(Taxonomy taxonomy) {
        return taxonomy.size() > shortlists.threshold();
    }

    /** The tree of a large taxonomy, or null when it cannot be walked. */
    TaxonomyTree tree(Taxonomy taxonomy) {
        return trees.of(taxonomy, taxonomy.fingerprint());
    }

    /**
     * What the planner sizes and prices a first-round line by: the whole taxonomy, or for a large one a stand-in
     * shortlist of its longest categories, so no line it plans is larger or dearer than planned.
     */
    Choices sizing(Taxonomy taxonomy) {
        if (!shortlisted(taxonomy)) {
            return Choices.of(taxonomy);
        }
        List<String> longest = taxonomy.categories().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .limit(shortlists.size()).toList();
        return offerFrom(taxonomy, longest, tree(taxonomy) != null);
    }

    /** What each of the batch's items ({@code rows}, in order) is asked; blocks while a first round is shortlisted. */
    List<Choices> offers(Job job, Taxonomy taxonomy, ProviderBatch batch, List<JobItem> rows) {
        if (!shortlisted(taxonomy)) {
            Choices whole = Choices.of(taxonomy);
            return rows.stream().map(r -> whole).toList();
        }
        if (batch.round > 0) {
            TaxonomyTree tree = tree(taxonomy);
            Map<Integer, Step> steps = steps(batch);
            return rows.stream().map(r -> Choices.of(taxonomy.restrictedTo(
                    tree.step(blankToNull(steps.get(r.idx).node()))))).toList();
        }
        double voteShare = cascades.threshold(taxonomy.cascade(), null).voteShare();
        List<LocalClassifier.Ranking> ranked = local.rankAsync(taxonomy.localModel(local),
                rows.stream().map(r -> taxonomy.localInput(r.item(json))).toList(), shortlists.size(), voteShare, job.tenant,
                Flow.job(job.id, job.tenant)).join();
        boolean walkable = tree(taxonomy) != null; // once per batch: the tree is looked up by the taxonomy's fingerprint
        return ranked.stream().map(r -> offerFrom(taxonomy, r.candidates().stream().map(LocalClassifier.Candidate::category)
                .toList(), walkable)).toList();
    }

    /** An item's shortlist, with the way out when the taxonomy's tree can be walked. */
    private static Choices offerFrom(Taxonomy taxonomy, List<String> shortlist, boolean walkable) {
        Choices offer = Choices.of(taxonomy.restrictedTo(shortlist));
        return walkable ? offer.withNoneOfThese() : offer;
    }

    /**
     * Splits a finished round's results: an item of a walkable large taxonomy the model said none fits goes on from the
     * top, one it put in a category with narrower ones (deeper than where it stood) goes on from there; every other
     * result is final, with the cost of the item's earlier rounds added.
     */
    Round after(ProviderBatch batch, Taxonomy taxonomy, String model, Map<Integer, ItemResult> results) {
        TaxonomyTree tree = shortlisted(taxonomy) ? tree(taxonomy) : null;
        Map<Integer, Step> earlier = batch.round > 0 ? steps(batch) : Map.of();
        List<ItemResult> finished = new ArrayList<>();
        List<Step> next = new ArrayList<>();
        for (ItemResult result : results.values()) {
            Step before = earlier.get(result.index());
            ItemResult total = before == null ? result : result.after(before.spent(model));
            String goOn = tree == null || result.status() != ItemStatus.OK ? null : nextNode(tree, result.category(),
                    before == null ? null : before.node());
            if (goOn == null) {
                finished.add(TaxonomyTree.NONE_OF_THESE.equals(total.category()) ? noneFitted(total) : total);
            } else {
                next.add(new Step(result.index(), goOn, total.attempts(), total.latencyMs(), total.usage()));
            }
        }
        return new Round(finished, next);
    }

    /** Where the walk goes on ("" for the top), or null when {@code answer} ends it. */
    private static String nextNode(TaxonomyTree tree, String answer, String from) {
        if (TaxonomyTree.NONE_OF_THESE.equals(answer)) {
            return from == null ? "" : null;
        }
        boolean deeper = from == null || from.isEmpty() || answer.startsWith(from + TaxonomyTree.SEPARATOR);
        return deeper && !tree.step(answer).isEmpty() ? answer : null;
    }

    /** A way out taken where none was offered cannot happen under the schema; should it, the item failed. */
    private static ItemResult noneFitted(ItemResult r) {
        return ItemResult.failed(r.index(), r.id(), "invalid_answer", "the model's answer in the batch named no category",
                new ItemResult.Outcome(r.attempts(), r.latencyMs(), r.model(), r.usage()));
    }

    /** The next round's batch of {@code next}, on the same key. */
    ProviderBatch nextBatch(ProviderBatch batch, List<Step> next) {
        ProviderBatch b = ProviderBatch.of(batch.jobId, batch.keyAlias,
                next.stream().mapToInt(Step::index).min().orElseThrow(), next.size(), 0);
        b.round = batch.round + 1;
        try {
            b.steps = json.writeValueAsString(next);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return b;
    }

    /** The items a walk's batch lists, by index. */
    Map<Integer, Step> steps(ProviderBatch batch) {
        try {
            Map<Integer, Step> byIndex = new HashMap<>();
            json.readValue(batch.steps, STEPS).forEach(s -> byIndex.put(s.index(), s));
            return byIndex;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String node) {
        return node == null || node.isEmpty() ? null : node;
    }
}
