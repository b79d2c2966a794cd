package dev.catalogclassifier.llm;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /api/v1/providers}: every provider and the health of each key, by alias, and how many live pods share
 * the keys ({@code shared_by_pods}: a limit-only key is paced to this pod's share). No secret is in here.
 */
@RegisterForReflection
public record ProvidersView(List<Provider> providers, int sharedByPods) {

    /**
     * One provider: where it is (credentials stripped from the URL), what it serves, its share of calls, and how it
     * is told an answer's shape: {@code strict_schema} (a strict JSON schema with the categories as an enum) or
     * {@code prompt} (the schema in the prompt, answers checked against the list and asked again when off it).
     */
    public record Provider(String name, String baseUrl, List<String> models, int weight, String structuredOutput,
            State state, Instant downSince, List<Key> keys) {
    }

    /**
     * Whether the provider answers. {@code down}: calls on its keys failed as an outage does (no connection,
     * timeouts, 5xx), so its calls wait and single calls probe it, since {@code down_since}.
     */
    public enum State {
        UP, DOWN;

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One key. {@code state} is {@code active}, {@code cooling} (after a 429, until {@code cooling_until}) or
     * {@code disabled} (refused by the provider, {@code disabled_reason} says how). {@code score} is its recent
     * success, 0 to 1. {@code limits} is what the provider's rate-limit headers taught us; null until they said.
     */
    public record Key(String alias, String state, double score, Instant coolingUntil, String disabledReason,
            long calls, long failures, Limits limits) {
    }

    /** A key's request and token limits; either is null when the provider never sent it. */
    public record Limits(Limit requests, Limit tokens) {
    }

    /**
     * The provider's limit per minute (the bucket's size; 1 where calls are spread evenly); what is left now
     * ({@code available} goes below zero while calls wait for permits they already hold); the pace we keep, per
     * minute, after slowing down for any 429; and where it was learnt: {@code headers} (full rate-limit headers),
     * {@code limit_only} (the limit header alone) or {@code learnt} (no headers: measured from 429s).
     */
    public record Limit(long limit, long available, long pacedPerMinute, String source) {
    }
}
