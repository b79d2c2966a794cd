package dev.catalogclassifier.classify;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.image.PhotoDetail;
import dev.catalogclassifier.llm.LlmConfig;
import dev.catalogclassifier.llm.ProviderPool;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.LocalConfig;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;

/**
 * Checks a request against the API contract and reports every broken rule at once, by JSON path.
 * Only whole-request rules live here; a problem that concerns one item's content (an unusable photo, say)
 * becomes that item's {@code rejected} result instead, so it never spoils the batch.
 */
@ApplicationScoped
public class RequestValidator {

    /** The form of a stored taxonomy's name: it goes into URLs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final RequestsConfig limits;
    private final ProviderPool providers;
    private final LocalConfig local;
    private final Set<String> allowedModels;
    private final String defaultModel;

    public RequestValidator(RequestsConfig limits, LlmConfig llm, ProviderPool providers, LocalConfig local) {
        this.limits = limits;
        this.providers = providers;
        this.local = local;
        this.defaultModel = llm.defaultModel();
        this.allowedModels = new LinkedHashSet<>(llm.allowedModels());
        this.allowedModels.add(defaultModel);
    }

    public ValidatedRequest validate(ClassificationRequest request) {
        return validate(request, limits.maxItems());
    }

    /** The same checks with another item limit: durable jobs take far more items than one request. */
    public ValidatedRequest validate(ClassificationRequest request, int maxItems) {
        if (request == null) {
            throw new InvalidRequestException(List.of(new FieldError("", "a JSON body is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        checkItems(request.items(), maxItems, errors);
        Mode mode = mode(request, errors);
        JsonNode given = request.taxonomy();
        String taxonomyName = given != null && given.isTextual() ? given.textValue() : null;
        Taxonomy taxonomy = taxonomyName != null ? namedPlaceholder(taxonomyName, errors) : taxonomy(given, errors);
        String model = model(request.model(), errors);
        Strategy strategy = strategy(request.classifier(), errors);
        PhotoDetail detail = request.imageDetail() == null ? PhotoDetail.HIGH
                : PhotoDetail.parse(request.imageDetail()).orElseGet(() -> {
                    errors.add(new FieldError("image_detail", "must be high or low"));
                    return PhotoDetail.HIGH;
                });
        if (request.pack() != null && (request.pack() < 1 || request.pack() > PackClassifier.MAX_PACK)) {
            errors.add(new FieldError("pack", "must be from 1 to " + PackClassifier.MAX_PACK + " items per model call"));
        }
        if (request.budgetUsd() != null && !(request.budgetUsd() > 0 && request.budgetUsd() < 1e9)) {
            errors.add(new FieldError("budget_usd", "must be a positive amount of US dollars"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (strategy != Strategy.LOCAL && !providers.configured()) {
            throw ProviderPool.noKey();
        }
        // the in-process classifier answers every item of a local request or job: name it, not an LLM never used
        String answeredBy = strategy == Strategy.LOCAL ? LocalClassifier.MODEL : model;
        return new ValidatedRequest(request.items(), mode, taxonomy, answeredBy, !Boolean.FALSE.equals(request.cache()), strategy,
                taxonomyName, detail, request.budgetUsd(), request.pack() == null ? 1 : request.pack(),
                Boolean.TRUE.equals(request.explain()));
    }

    private void checkItems(List<Item> items, int maxItems, List<FieldError> errors) {
        if (items == null || items.isEmpty()) {
            errors.add(new FieldError("items", "must contain at least one item"));
            return;
        }
        if (items.size() > maxItems) {
            errors.add(new FieldError("items", "holds " + items.size() + " items; at most " + maxItems
                    + (maxItems == limits.maxItems() ? " are allowed per request (use /api/v1/jobs for larger batches)"
                            : " are allowed per job")));
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            checkItem(i, items.get(i), seen, errors);
        }
    }

    private void checkItem(int i, Item item, Map<String, Integer> seen, List<FieldError> errors) {
        String at = "items[" + i + "]";
        if (item == null) {
            errors.add(new FieldError(at, "must be an object"));
            return;
        }
        if (item.id() == null || item.id().isBlank()) {
            errors.add(new FieldError(at + ".id", "is required"));
        } else if (item.id().length() > limits.maxIdLength()) {
            errors.add(new FieldError(at + ".id", "is longer than " + limits.maxIdLength() + " characters"));
        } else {
            Integer first = seen.putIfAbsent(item.id(), i);
            if (first != null) {
                errors.add(new FieldError(at + ".id", "repeats the id of items[" + first + "]"));
            }
        }
        if (!item.hasText() && !item.hasImage()) {
            errors.add(new FieldError(at, "needs a name or an image_url"));
        }
        checkLength(at + ".name", item.name(), errors);
        checkLength(at + ".description", item.description(), errors);
        if (item.attributes() != null) {
            item.attributes().forEach((k, v) -> checkLength(at + ".attributes." + k, String.valueOf(v), errors));
        }
        if (item.hasImage() && !isHttpUrl(item.imageUrl())) {
            errors.add(new FieldError(at + ".image_url", "must be an http or https URL"));
        }
    }

    private void checkLength(String field, String text, List<FieldError> errors) {
        if (text != null && text.length() > limits.maxTextLength()) {
            errors.add(new FieldError(field, "is longer than " + limits.maxTextLength() + " characters"));
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value.strip());
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Without a key the local classifier is the default; with one, the cascade (or the LLM, if so configured). */
    private Strategy strategy(String value, List<FieldError> errors) {
        if (value == null) {
            return !providers.configured() ? Strategy.LOCAL : local.cascadeByDefault() ? Strategy.CASCADE : Strategy.LLM;
        }
        return Strategy.parse(value).orElseGet(() -> {
            errors.add(new FieldError("classifier", "must be one of llm, local, cascade"));
            return Strategy.LLM;
        });
    }

    private static Mode mode(ClassificationRequest request, List<FieldError> errors) {
        if (request.mode() != null) {
            return Mode.parse(request.mode()).orElseGet(() -> {
                errors.add(new FieldError("mode", "must be one of auto, text, image"));
                return Mode.AUTO;
            });
        }
        if (request.toggle() != null) {
            return Mode.fromToggle(request.toggle()).orElseGet(() -> {
                errors.add(new FieldError("toggle", "must be 1 (text) or 0 (image)"));
                return Mode.AUTO;
            });
        }
        return Mode.AUTO;
    }

    /** A stored taxonomy's name is checked for its form here and looked up once the request is valid. */
    private static Taxonomy namedPlaceholder(String name, List<FieldError> errors) {
        if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError("taxonomy", "must be a list of categories or the name of a stored taxonomy"));
        }
        return null;
    }

    private Taxonomy taxonomy(JsonNode given, List<FieldError> errors) {
        if (given == null || given.isNull()) {
            return new Taxonomy(limits.defaultTaxonomy());
        }
        if (!given.isArray()) {
            errors.add(new FieldError("taxonomy", "must be a list of categories or the name of a stored taxonomy"));
            return null;
        }
        List<String> categories = new ArrayList<>();
        given.forEach(node -> categories.add(node.isTextual() ? node.textValue() : null));
        int before = errors.size();
        if (categories.size() < 2) {
            errors.add(new FieldError("taxonomy", "needs at least 2 categories"));
        } else if (categories.size() > limits.maxCategories()) {
            errors.add(new FieldError("taxonomy", "has more than " + limits.maxCategories() + " categories"));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            checkCategory(i, categories.get(i), seen, errors, limits.maxCategoryLength());
        }
        return errors.size() == before ? new Taxonomy(categories.stream().map(String::strip).toList()) : null;
    }

    private static void checkCategory(int i, String category, Map<String, Integer> seen, List<FieldError> errors,
            int maxCategoryLength) {
        String at = "taxonomy[" + i + "]";
        if (category == null || category.isBlank()) {
            errors.add(new FieldError(at, "must not be blank"));
        } else if (category.length() > maxCategoryLength) {
            errors.add(new FieldError(at, "is longer than " + maxCategoryLength + " characters"));
        } else {
            Integer first = seen.putIfAbsent(Taxonomy.key(category), i);
            if (first != null) {
                errors.add(new FieldError(at, "repeats taxonomy[" + first + "]"));
            }
        }
    }

    private String model(String requested, List<FieldError> errors) {
        if (requested == null || requested.isBlank()) {
            return defaultModel;
        }
        if (!allowedModels.contains(requested)) {
            errors.add(new FieldError("model", "is not allowed here; choose one of " + String.join(", ", allowedModels)));
        }
        return requested;
    }
}
