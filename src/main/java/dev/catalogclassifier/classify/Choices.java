package dev.catalogclassifier.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * What one question offers: the prompt's list (one line per category, with its description) and the names the
 * answer's {@code enum} allows. Realtime questions, packs and Batch API lines all build it here, so the way out of a
 * large taxonomy's shortlist is offered the same way everywhere.
 */
public record Choices(String list, List<String> names) {

    public Choices {
        names = List.copyOf(names);
    }

    /** The whole of {@code taxonomy} (or the part of it a shortlist or a step of the tree is). */
    public static Choices of(Taxonomy taxonomy) {
        return new Choices(taxonomy.asPromptList(), taxonomy.categories());
    }

    /** The same with the way out ({@link TaxonomyTree#NONE_OF_THESE}) last, in the list and the enum. */
    public Choices withNoneOfThese() {
        List<String> all = new ArrayList<>(names);
        all.add(TaxonomyTree.NONE_OF_THESE);
        return new Choices(list + "\n" + TaxonomyTree.NONE_OF_THESE_LINE, all);
    }

    /** Whether {@code answer} takes the way out. */
    public static boolean noneFits(String answer) {
        return answer != null && TaxonomyTree.NONE_OF_THESE.equalsIgnoreCase(answer.strip());
    }
}
