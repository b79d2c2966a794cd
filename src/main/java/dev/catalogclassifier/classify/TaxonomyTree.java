package dev.catalogclassifier.classify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A taxonomy whose categories are paths ({@code Furniture > Beds & Accessories > Beds}), seen as the tree the paths
 * spell: what the model walks, a level at a time, when an item's shortlist holds no category that fits it, and
 * what a photo without text is classified by. Each step offers a node's children as whole paths, and the node itself
 * first when it is a category too ("none of the narrower ones fits"), so every answer the walk can give is a whole
 * path of the taxonomy. A path's ancestors need not be categories themselves: they are walked through, never
 * answered.
 */
public final class TaxonomyTree {

    /** What separates a path's levels, as Google's and Shopify's taxonomies write it. */
    public static final String SEPARATOR = " > ";
    /**
     * The most options one step may offer: OpenAI's strict mode lets an enum of more than 250 values hold only
     * 7,500 characters, which a level of long paths would pass. A tree with a wider node is not walked.
     */
    static final int MAX_STEP = 250;

    /**
     * The option a shortlist offers besides its categories when the tree can be walked: the model's way to say that
     * no category on the list fits, so that a miss of the local shortlist is not final.
     */
    public static final String NONE_OF_THESE = "None of these";
    /** How the prompt shows {@link #NONE_OF_THESE}, last on the list. */
    public static final String NONE_OF_THESE_LINE = "- " + NONE_OF_THESE + ": no category above fits the item";

    private final Map<String, List<String>> children;
    private final Set<String> categories;
    private final List<String> top;
    private final int depth;

    private TaxonomyTree(Map<String, List<String>> children, Set<String> categories, List<String> top) {
        this.children = children;
        this.categories = categories;
        this.top = top;
        this.depth = children.keySet().stream().mapToInt(p -> p.split(SEPARATOR, -1).length + 1).max().orElse(1);
    }

    /**
     * The tree of {@code categories}, in their order; null when it cannot be walked: the names are not paths (a flat
     * list has one level, the whole list), or a node has more than {@link #MAX_STEP} children.
     */
    public static TaxonomyTree of(List<String> categories) {
        Map<String, List<String>> children = new LinkedHashMap<>();
        List<String> top = new ArrayList<>();
        Set<String> known = new HashSet<>();
        boolean nested = false;
        for (String category : categories) {
            String[] levels = category.split(SEPARATOR, -1);
            nested |= levels.length > 1;
            String path = "";
            for (String level : levels) {
                String parent = path;
                path = parent.isEmpty() ? level : parent + SEPARATOR + level;
                if (known.add(path)) {
                    (parent.isEmpty() ? top : children.computeIfAbsent(parent, k -> new ArrayList<>())).add(path);
                }
            }
        }
        boolean narrow = top.size() <= MAX_STEP && children.values().stream().allMatch(c -> c.size() <= MAX_STEP);
        return nested && narrow ? new TaxonomyTree(children, Set.copyOf(categories), List.copyOf(top)) : null;
    }

    /**
     * What a step at {@code node} offers (null: the top of the tree): the node itself when it is a category, then its
     * children. Empty when the node has no children: the walk ends there.
     */
    public List<String> step(String node) {
        List<String> below = node == null ? top : children.getOrDefault(node, List.of());
        if (below.isEmpty()) {
            return List.of();
        }
        List<String> options = new ArrayList<>(below.size() + 1);
        if (node != null && categories.contains(node)) {
            options.add(node);
        }
        options.addAll(below);
        return options;
    }

    /** Whether the walk may end at {@code path}: it is a category of the taxonomy. */
    public boolean answerable(String path) {
        return categories.contains(path);
    }

    /** How many levels the deepest path has: the most steps a walk can take. */
    public int depth() {
        return depth;
    }
}
