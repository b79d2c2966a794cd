package dev.catalogclassifier.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The reset times providers send in {@code x-ratelimit-reset-*}, the header names other than OpenAI's, and what a
 * 429's headers make us wait.
 */
class RateLimitsTest {

    @Test
    void resetTimesInEveryFormTheProviderUses() {
        assertThat(RateLimits.duration("20ms")).isEqualTo(Duration.ofMillis(20));
        assertThat(RateLimits.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(RateLimits.duration("6m0s")).isEqualTo(Duration.ofMinutes(6));
        assertThat(RateLimits.duration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(RateLimits.duration("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(RateLimits.duration("soon")).isNull();
        assertThat(RateLimits.duration("5s and more")).isNull();
    }

    @Test
    void anExhaustedLimitWaitsForItsReset() {
        RateLimits limits = RateLimits.from(Map.of("x-ratelimit-limit-requests", "500",
                "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.2s",
                "x-ratelimit-limit-tokens", "200000", "x-ratelimit-remaining-tokens", "1500",
                "x-ratelimit-reset-tokens", "6m0s")::get);
        assertThat(limits.present()).isTrue();
        assertThat(limits.untilUsable()).as("tokens are not exhausted, requests are").isEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void resetsAsUnixTimestampsInSecondsOrMilliseconds() {
        long inTenSeconds = System.currentTimeMillis() + 10_000;
        assertThat(RateLimits.duration(String.valueOf(inTenSeconds))).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(RateLimits.duration(String.valueOf(inTenSeconds / 1000))).isBetween(Duration.ofSeconds(8),
                Duration.ofSeconds(10));
        assertThat(RateLimits.duration(String.valueOf(System.currentTimeMillis() / 1000 - 60))).isEqualTo(Duration.ZERO);
    }

    @Test
    void openRoutersUnsuffixedHeadersCountRequestsAndMinusOneIsUnknown() {
        RateLimits openRouter = RateLimits.from(Map.of("x-ratelimit-limit", "200", "x-ratelimit-remaining", "150")::get);
        assertThat(openRouter.requestLimit()).isEqualTo(200);
        assertThat(openRouter.requestsRemaining()).isEqualTo(150);
        RateLimits azure = RateLimits.from(Map.of("x-ratelimit-limit-requests", "-1",
                "x-ratelimit-remaining-requests", "-1")::get);
        assertThat(azure.present()).as("-1 says nothing about the limit").isFalse();
        RateLimits limitOnly = RateLimits.from(Map.of("x-ratelimit-limit-requests", "600")::get);
        assertThat(limitOnly.present()).isTrue();
        assertThat(limitOnly.requestsRemaining()).isEqualTo(-1);
    }
}
