package dev.catalogclassifier.tenant;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * What each tenant may use of the service: {@code classifier.tenants.<tenant>.*}. A tenant is named by its API key
 * ({@code classifier.auth.tenants}) or its bearer token's tenant claim; one not listed here has the defaults: weight
 * 1, no ceiling of its own, no budget.
 */
@ConfigMapping(prefix = "classifier.tenants")
public interface TenantConfig {

    /** The limits of each listed tenant, by name. */
    @WithParentName
    Map<String, Limits> limits();

    /** One tenant's share and limits. */
    interface Limits {

        /**
         * Its share of model calls against the other tenants with calls waiting: a tenant of weight 2 gets two turns
         * for each turn of a tenant of weight 1. Within a tenant, its requests and jobs share its turns.
         */
        @WithDefault("1")
        double weight();

        /** The most model calls it may have in flight on one pod; the service's ceiling when unset. */
        OptionalInt maxConcurrentCalls();

        /**
         * What it may spend on the model per UTC day, in USD, across all pods; items past it end {@code cancelled}
         * with {@code budget_exceeded}. No daily limit when unset.
         */
        Optional<Double> dailyBudgetUsd();

        /** What it may spend per UTC calendar month, in USD, across all pods. No monthly limit when unset. */
        Optional<Double> monthlyBudgetUsd();
    }
}
