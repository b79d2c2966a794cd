package dev.catalogclassifier.llm;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * Prices token usage from the configured table. A model missing from the table costs 0 and is reported
 * once at WARN, so a typo in configuration shows up in the logs instead of silently under-reporting forever.
 */
@ApplicationScoped
public class PriceTable {

    private static final double PER_TOKEN = 1.0 / 1_000_000;
    /** The system message, instructions and category list around an item, roughly. */
    private static final long PROMPT_OVERHEAD_TOKENS = 150;

    private final Map<String, LlmConfig.Price> prices;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final double batchDiscount;

    public PriceTable(LlmConfig config) {
        this.prices = config.prices();
        this.batchDiscount = config.batchDiscount();
    }

    /** The same tokens sent through the Batch API, at its discount. */
    public Usage priceBatch(String model, long promptTokens, long cachedTokens, long completionTokens) {
        Usage realtime = price(model, promptTokens, cachedTokens, completionTokens);
        return new Usage(promptTokens, cachedTokens, completionTokens, realtime.costUsd() * (1 - batchDiscount));
    }

    public Usage price(String model, long promptTokens, long cachedTokens, long completionTokens) {
        LlmConfig.Price price = lookup(model);
        if (price == null) {
            return new Usage(promptTokens, cachedTokens, completionTokens, 0);
        }
        long uncached = Math.max(0, promptTokens - cachedTokens);
        double cost = (uncached * price.input() + cachedTokens * price.cachedInput()
                + completionTokens * price.output()) * PER_TOKEN;
        return new Usage(promptTokens, cachedTokens, completionTokens, cost);
    }

    /**
     * What one question about an item is expected to cost before it is asked: its prompt at about four characters
     * a token (plus OpenAI's tokens for a photo at high detail), and a short answer.
     */
    public double estimate(String model, int promptChars, boolean photo) {
        return estimateUsage(model, promptChars, photo).costUsd();
    }

    /** {@link #estimate}'s tokens and cost: what a question not asked (settled locally) would have taken. */
    public Usage estimateUsage(String model, int promptChars, boolean photo) {
        long prompt = PROMPT_OVERHEAD_TOKENS + promptChars / 4 + (photo ? 765 : 0);
        return price(model, prompt, 0, photo ? 300 : 60);
    }

    /** {@link #estimate} of a text question sent through the Batch API. */
    public double estimateBatch(String model, int promptChars) {
        return estimate(model, promptChars, false) * (1 - batchDiscount);
    }

    public boolean knows(String model) {
        return lookup(model) != null;
    }

    private LlmConfig.Price lookup(String model) {
        LlmConfig.Price price = prices.get(model);
        if (price == null && warned.add(model)) {
            Log.warnf("No price configured for model %s: its cost is reported as 0 (set classifier.llm.prices.\"%s\".*)",
                    model, model);
        }
        return price;
    }
}
