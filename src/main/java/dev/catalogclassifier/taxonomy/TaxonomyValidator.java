package dev.catalogclassifier.taxonomy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.cascade.GroupBy;
import dev.catalogclassifier.cascade.TargetPrecision;
import dev.catalogclassifier.classify.RequestValidator;
import dev.catalogclassifier.classify.RequestsConfig;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.classify.validation.StorableText;
import dev.catalogclassifier.local.ItemText;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;

/**
 * Checks a taxonomy definition and reports every broken rule at once, by JSON path: a bad category in example
 * 17 is {@code examples[17].category}, so a caller can find the row in a 50,000-line export.
 */
@ApplicationScoped
public class TaxonomyValidator {

    private static final int MAX_REPORTED = 100;

    private final RequestsConfig limits;
    private final TaxonomyConfig config;

    public TaxonomyValidator(RequestsConfig limits, TaxonomyConfig config) {
        this.limits = limits;
        this.config = config;
    }

    public static boolean validName(String name) {
        return name != null && RequestValidator.NAME.matcher(name).matches();
    }

    public void validate(String name, TaxonomyDefinition definition) {
        List<FieldError> errors = new ArrayList<>();
        if (!validName(name)) {
            errors.add(new FieldError("name", "must be 1 to 100 letters, digits, '.', '-' or '_', starting with a letter or digit"));
        }
        if (definition == null) {
            errors.add(new FieldError("", "a JSON body is required"));
            throw new InvalidRequestException(errors);
        }
        Map<String, String> byKey = categories(definition.categories(), errors);
        // without a list to look in (too few categories, or too many), "not one of the categories" would blame every
        // description and example for the list's fault
        boolean listed = !byKey.isEmpty();
        definition.descriptionsOrEmpty().forEach((category, description) -> {
            if (listed && !byKey.containsKey(Taxonomy.key(category))) {
                errors.add(new FieldError("descriptions." + category, "is not one of the categories"));
            } else if (description == null || description.length() > 1000) {
                errors.add(new FieldError("descriptions." + category, "must be a text of at most 1000 characters"));
            } else if (StorableText.problem(description) != null) {
                errors.add(new FieldError("descriptions." + category, StorableText.problem(description)));
            }
        });
        if (definition.itemText() != null && ItemText.parse(definition.itemText()).isEmpty()) {
            errors.add(new FieldError("item_text", "must be name_and_description or description"));
        }
        examples(definition.examplesOrEmpty(), listed ? byKey : null, errors);
        cascade(definition.cascadeOrDefault(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() > MAX_REPORTED ? truncated(errors) : errors);
        }
    }

    /**
     * Examples added to a stored taxonomy ({@code POST …/examples}): the same checks as a PUT's, against its categories,
     * and at most {@link TaxonomyConfig#maxExamples()} in all with the {@code stored} ones.
     */
    public void validateAdded(List<TaxonomyDefinition.Example> examples, List<String> categories, int stored) {
        List<FieldError> errors = new ArrayList<>();
        if (examples == null || examples.isEmpty()) {
            throw new InvalidRequestException(List.of(new FieldError("examples", "needs at least one example")));
        }
        Map<String, String> byKey = new HashMap<>();
        categories.forEach(c -> byKey.put(Taxonomy.key(c), c));
        examples(examples, byKey, errors);
        if (errors.isEmpty() && stored + examples.size() > config.maxExamples()) {
            errors.add(new FieldError("examples", "would make " + (stored + examples.size()) + " examples; at most "
                    + config.maxExamples() + " are allowed (" + stored + " are stored)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() > MAX_REPORTED ? truncated(errors) : errors);
        }
    }

    private Map<String, String> categories(List<String> categories, List<FieldError> errors) {
        Map<String, String> byKey = new HashMap<>();
        if (categories == null || categories.size() < 2) {
            errors.add(new FieldError("categories", "needs at least 2 categories"));
            return byKey;
        }
        if (categories.size() > limits.maxCategories()) {
            errors.add(new FieldError("categories", "has more than " + limits.maxCategories() + " categories"));
        }
        for (int i = 0; i < categories.size(); i++) {
            String category = categories.get(i);
            if (category == null || category.isBlank() || category.length() > limits.maxCategoryLength()) {
                errors.add(new FieldError("categories[" + i + "]", "must be a non-blank text of at most "
                        + limits.maxCategoryLength() + " characters"));
            } else if (StorableText.problem(category) != null) {
                errors.add(new FieldError("categories[" + i + "]", StorableText.problem(category)));
            } else if (byKey.putIfAbsent(Taxonomy.key(category), category) != null) {
                errors.add(new FieldError("categories[" + i + "]", "repeats \"" + category + "\""));
            }
        }
        return byKey;
    }

    /** {@code byKey} is null when there is no category list to look in: then no example is blamed for missing from it. */
    private void examples(List<TaxonomyDefinition.Example> examples, Map<String, String> byKey, List<FieldError> errors) {
        if (examples.size() > config.maxExamples()) {
            errors.add(new FieldError("examples", "holds " + examples.size() + " examples; at most "
                    + config.maxExamples() + " are allowed"));
            return;
        }
        for (int i = 0; i < examples.size(); i++) {
            TaxonomyDefinition.Example example = examples.get(i);
            String at = "examples[" + i + "]";
            if (example == null) {
                errors.add(new FieldError(at, "must be an object with text and category"));
                continue;
            }
            if (blank(example.text()) && blank(example.name()) && blank(example.description())) {
                errors.add(new FieldError(at + ".text", "is required (or a name or description)"));
            }
            for (String[] field : new String[][] { { "text", example.text() }, { "name", example.name() },
                    { "description", example.description() } }) {
                if (field[1] != null && field[1].length() > limits.maxTextLength()) {
                    errors.add(new FieldError(at + "." + field[0], "is longer than " + limits.maxTextLength() + " characters"));
                } else if (StorableText.problem(field[1]) != null) {
                    errors.add(new FieldError(at + "." + field[0], StorableText.problem(field[1])));
                }
            }
            if (example.category() == null) {
                errors.add(new FieldError(at + ".category", "is required"));
            } else if (byKey != null && !byKey.containsKey(Taxonomy.key(example.category()))) {
                errors.add(new FieldError(at + ".category", "\"" + example.category() + "\" is not one of the categories"));
            }
        }
    }

    private static void cascade(TaxonomyDefinition.Cascade cascade, List<FieldError> errors) {
        if (cascade.precision() != null && !TargetPrecision.isValid(cascade.precision())) {
            errors.add(new FieldError("cascade.precision", TargetPrecision.INVALID));
        }
        if (cascade.groupBy() != null && GroupBy.parse(cascade.groupBy()).isEmpty()) {
            errors.add(new FieldError("cascade.group_by", "must be one of text, name, group"));
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static List<FieldError> truncated(List<FieldError> errors) {
        List<FieldError> first = new ArrayList<>(errors.subList(0, MAX_REPORTED));
        first.add(new FieldError("", (errors.size() - MAX_REPORTED) + " more invalid fields not listed"));
        return first;
    }
}
