package dev.catalogclassifier.llm;

import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers said, or -1 where a
 * header was missing (or said {@code -1}, as some Azure APIs do: unknown, not zero). OpenRouter's unsuffixed
 * {@code x-ratelimit-limit/remaining/reset} count requests. Reset times come as {@code 20ms}, {@code 1.5s},
 * {@code 6m0s} or {@code 1h2m3.5s}, as seconds, or as a Unix timestamp in seconds or milliseconds.
 */
record RateLimits(long requestLimit, long requestsRemaining, Duration requestsReset,
        long tokenLimit, long tokensRemaining, Duration tokensReset) {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    // compiled once: every answer's headers are read, and String.matches compiles its pattern at each call
    private static final Pattern WHOLE = Pattern.compile("\\d+");
    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

    static RateLimits from(Function<String, String> header) {
        return new RateLimits(number(either(header, "x-ratelimit-limit-requests", "x-ratelimit-limit")),
                number(either(header, "x-ratelimit-remaining-requests", "x-ratelimit-remaining")),
                duration(either(header, "x-ratelimit-reset-requests", "x-ratelimit-reset")),
                number(header.apply("x-ratelimit-limit-tokens")),
                number(header.apply("x-ratelimit-remaining-tokens")),
                duration(header.apply("x-ratelimit-reset-tokens")));
    }

    private static String either(Function<String, String> header, String name, String otherName) {
        String value = header.apply(name);
        return value != null ? value : header.apply(otherName);
    }

    boolean present() {
        return requestLimit >= 0 || tokenLimit >= 0;
    }

    /** How long until the exhausted limit fills again; zero when neither is exhausted. */
    Duration untilUsable() {
        Duration wait = Duration.ZERO;
        if (requestsRemaining == 0 && requestsReset != null) {
            wait = requestsReset;
        }
        if (tokensRemaining == 0 && tokensReset != null && tokensReset.compareTo(wait) > 0) {
            wait = tokensReset;
        }
        return wait;
    }

    static long number(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.strip();
        return WHOLE.matcher(v).matches() ? Long.parseLong(v) : -1;
    }

    static Duration duration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (SECONDS.matcher(v).matches()) {
            double n = Double.parseDouble(v);
            if (n > 1e9) { // a timestamp, in milliseconds or seconds
                long until = (long) (n > 1e12 ? n : n * 1000) - System.currentTimeMillis();
                return Duration.ofMillis(Math.max(0, until));
            }
            return Duration.ofMillis((long) (n * 1000));
        }
        Matcher m = PART.matcher(v);
        double millis = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        return end == v.length() ? Duration.ofMillis((long) Math.ceil(millis)) : null;
    }
}
