package dev.catalogclassifier.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.classify.validation.Violations;
import dev.catalogclassifier.image.PhotoDetail;
import dev.catalogclassifier.llm.LlmConfig;
import dev.catalogclassifier.llm.ProviderPool;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.LocalConfig;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;

/**
 * Checks a request against the API contract and reports every broken rule at once, by JSON path. The rules are
 * Hibernate Validator constraints on {@link ClassificationRequest} and {@link Item} (those that read configuration
 * are in {@code classify.validation}); only the item count is checked here, since a request and a job allow
 * different counts. A problem that concerns one item's content (an unusable photo, say) becomes that item's
 * {@code rejected} result instead, so it never spoils the batch.
 */
@ApplicationScoped
public class RequestValidator {

    /** The form of a stored taxonomy's name: it goes into URLs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Validator validator;
    private final RequestsConfig limits;
    private final ProviderPool providers;
    private final LocalConfig local;
    private final String defaultModel;

    public RequestValidator(Validator validator, RequestsConfig limits, LlmConfig llm, ProviderPool providers,
            LocalConfig local) {
        this.validator = validator;
        this.limits = limits;
        this.providers = providers;
        this.local = local;
        this.defaultModel = llm.defaultModel();
    }

    public ValidatedRequest validate(ClassificationRequest request) {
        return validate(request, limits.maxItems());
    }

    /** The same checks with another item limit: durable jobs take far more items than one request. */
    public ValidatedRequest validate(ClassificationRequest request, int maxItems) {
        if (request == null) {
            throw new InvalidRequestException(List.of(new FieldError("", "a JSON body is required")));
        }
        if (request.items() != null && request.items().size() > maxItems) {
            // alone, and before the items are looked at: 10,000 items' own violations would bury it
            throw new InvalidRequestException(List.of(new FieldError("items", "holds " + request.items().size()
                    + " items; at most " + maxItems + (maxItems == limits.maxItems()
                            ? " are allowed per request (use /api/v1/jobs for larger batches)" : " are allowed per job"))));
        }
        List<FieldError> errors = Violations.fieldErrors(validator.validate(request));
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Strategy strategy = strategy(request.classifier());
        if (strategy != Strategy.LOCAL && !providers.configured()) {
            throw ProviderPool.noKey();
        }
        JsonNode given = request.taxonomy();
        String taxonomyName = given != null && given.isTextual() ? given.textValue() : null;
        String model = request.model() == null || request.model().isBlank() ? defaultModel : request.model();
        // the in-process classifier answers every item of a local request or job: name it, not an LLM never used
        String answeredBy = strategy == Strategy.LOCAL ? LocalClassifier.MODEL : model;
        PhotoDetail detail = request.imageDetail() == null ? PhotoDetail.HIGH
                : PhotoDetail.parse(request.imageDetail()).orElseThrow();
        return new ValidatedRequest(request.items(), mode(request), taxonomyName != null ? null : taxonomy(given),
                answeredBy, !Boolean.FALSE.equals(request.cache()), strategy, taxonomyName, detail, request.budgetUsd(),
                request.pack() == null ? 1 : request.pack(), Boolean.TRUE.equals(request.explain()),
                request.cascade() == null ? null : request.cascade().precision());
    }

    /** Without a key the local classifier is the default; with one, the cascade (or the LLM, if so configured). */
    private Strategy strategy(String value) {
        if (value == null) {
            return !providers.configured() ? Strategy.LOCAL : local.cascadeByDefault() ? Strategy.CASCADE : Strategy.LLM;
        }
        return Strategy.parse(value).orElseThrow();
    }

    private static Mode mode(ClassificationRequest request) {
        if (request.mode() != null) {
            return Mode.parse(request.mode()).orElseThrow();
        }
        return request.toggle() != null ? Mode.fromToggle(request.toggle()).orElseThrow() : Mode.AUTO;
    }

    /** The request's own categories, or the configured default taxonomy. */
    private Taxonomy taxonomy(JsonNode given) {
        if (given == null || given.isNull()) {
            return new Taxonomy(limits.defaultTaxonomy());
        }
        List<String> categories = new ArrayList<>();
        given.forEach(node -> categories.add(node.textValue().strip()));
        return new Taxonomy(categories);
    }
}
