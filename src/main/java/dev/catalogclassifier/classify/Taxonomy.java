package dev.catalogclassifier.classify;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The categories one request sorts into. A model's answer counts only when it names one of them; letter case
 * and surrounding blanks are forgiven, and the result always carries the caller's own spelling.
 */
public record Taxonomy(List<String> categories) {

    public Taxonomy {
        categories = List.copyOf(categories);
    }

    Optional<String> match(String answer) {
        if (answer == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byKey().get(key(answer)));
    }

    String asPromptList() {
        return categories.stream().map(c -> "- " + c).collect(Collectors.joining("\n"));
    }

    static String key(String category) {
        return category.strip().toLowerCase(Locale.ROOT);
    }

    private Map<String, String> byKey() {
        return categories.stream().collect(Collectors.toMap(Taxonomy::key, Function.identity(), (a, b) -> a));
    }
}
