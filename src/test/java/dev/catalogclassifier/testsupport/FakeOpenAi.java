package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process, OpenAI-compatible chat completions server for tests and the benchmark. It speaks the real
 * wire format (choices, usage with cached tokens, error objects, Retry-After and x-ratelimit headers).
 * <p>
 * What it does for an item is steered by markers in the item's text, so concurrent items can each get their
 * own behaviour: {@code [slow:300]} waits 300 ms; {@code [hang]} never answers; {@code [429:2]} answers the
 * first two calls with 429 and {@code Retry-After: 1} ({@code [retry-after:2]} changes the seconds);
 * {@code [500:1]} answers the first call with 500; {@code [garbage]}
 * answers prose instead of JSON ({@code [garbage:1]} only the first time); {@code [outside]} names a category
 * not in the list; {@code [none-fits]} takes a call's way out ("None of these") when it offers one;
 * {@code [broken]} sends a body that is not JSON at all; {@code [gate:name]} holds the call
 * until {@link #open(String)}. Otherwise it picks the category whose words occur in the item text, or, in oracle mode
 * ({@link #oracle}), answers as a good model would: it knows each item's right categories and is right on a stated
 * share of items, the same items every time, and otherwise names another category of the call.
 * <p>
 * Like a real model, it keeps to the list only when the call's JSON schema holds {@code category} to an
 * {@code enum}: then it picks from the enum, and {@code [outside]} cannot take it off the list. Without one it
 * writes the category as a weak model fills a free string, never exactly as listed, until asked again with the
 * reason ({@link #choose}). {@link #refuseSchemas} makes it refuse JSON schemas for one key, as some gateways do.
 * <p>
 * Every chat request it receives, and every line of a batch, is validated against OpenAI's published request schema
 * ({@code bench/data/openai-chat-schemas.json}, {@link RequestSchema}); one that does not hold is refused with a 400,
 * as OpenAI refuses it, and kept in {@link #invalidRequests()}.
 * <p>
 * Keys are a provider's business, not an item's: {@link #rejectKey} makes it answer 401 to one key, and
 * {@link #limitRequests} gives every key a request limit of its own, enforced with 429 + Retry-After, in one of
 * the styles real providers have ({@link Headers}): OpenAI's full {@code x-ratelimit-*} headers on every answer
 * and a bucket of a minute's requests; the limit header alone; or no headers at all (self-hosted servers, many
 * gateways). The last two enforce the per-minute limit over short fixed windows (a second by default), as OpenAI
 * says it may and gateways do, so a burst that a minute's limit would allow is refused.
 */
public final class FakeOpenAi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PACK = "Items (answer once for each, with its id):";
    private static final String ASKED_AGAIN = "Your previous answer could not be used";
    private static final Pattern CATEGORY_LINE = Pattern.compile("^- (.+?)(?:: .*)?$", Pattern.MULTILINE);

    private volatile HttpServer server;
    private final int boundPort;
    /** An outage's status answered to every chat call (a gateway's 503…); 0 when the provider is up. */
    private volatile int outageStatus;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Requests that broke OpenAI's schema: what was wrong with each. */
    private final List<String> invalid = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> callsPerItem = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile CountDownLatch shutdown = new CountDownLatch(1);
    private volatile Duration latency = Duration.ZERO;
    private volatile int promptTokens = 100;
    private volatile int cachedTokens = 0;
    private volatile int completionTokens = 20;
    /**
     * What one answer costs at the usage every answer reports after {@link #reset()} (100 prompt and 20 completion
     * tokens), at gpt-4o-mini's list prices: tests compare costs with it.
     */
    public static final double CALL_COST_USD = (100 * 0.15 + 20 * 0.60) / 1e6;

    /** Tokens counted from the text (four characters a token) instead of the fixed {@link #usage} numbers. */
    private volatile boolean countTokens;
    /** The request size of the exchange being answered on this thread. */
    private final ThreadLocal<Integer> promptChars = ThreadLocal.withInitial(() -> 0);
    private final java.util.Set<String> rejectedKeys = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> schemaRefusingKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, Limiter> buckets = new ConcurrentHashMap<>();
    private volatile long requestLimit = 30_000;
    private volatile Duration limitWindow = Duration.ofMinutes(1);
    private volatile Headers headerStyle = Headers.FULL;
    private volatile Duration enforcedOver = Duration.ofSeconds(1);
    /** Oracle mode: each item's right categories, by {@link #itemKey}; null when off. */
    private volatile Map<String, java.util.Set<String>> truth;
    private volatile double rightShare;

    /** Keys whose limit differs from the common one, as keys of different plans or providers do. */
    private final Map<String, KeyLimit> keyLimits = new ConcurrentHashMap<>();

    private record KeyLimit(long limit, Duration window, Headers style, Duration enforcedOver) {
        Limiter limiter() {
            return style == Headers.FULL ? new KeyBucket(limit, window) : new FixedWindows(limit, window, enforcedOver, style);
        }
    }

    /** What a provider tells about its rate limits. */
    public enum Headers {
        /** OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} on every answer. */
        FULL,
        /** Only {@code x-ratelimit-limit-requests} (and {@code -tokens}): the plan, not the state. */
        LIMIT_ONLY,
        /** Nothing: only a 429 with Retry-After when the limit is exceeded. */
        NONE
    }
    private volatile Runnable baseline = () -> { };
    private FakeBatchApi batchApi;

    /**
     * One call as the provider saw it. {@code item} is the item part of the user prompt, {@code prompt} all of it;
     * {@code photo} the photo sent with it (decoded from its data URL), or null.
     */
    public record Call(String item, String model, String authorization, long receivedNanos, int status, String prompt,
            Photo photo, JsonNode responseFormat, String system) {
        /** The {@code enum} of the schema's {@code category}, wherever it sits; empty when none constrains it. */
        public List<String> categoryEnum() {
            List<String> values = enumOfCategory(responseFormat);
            return values == null ? List.of() : values;
        }

        /** The API key the call was made with. */
        public String key() {
            return authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
        }
    }

    /** A photo as received: its size in pixels and bytes, its MIME type and the detail level asked for. */
    /** A photo received; {@code code} is what a {@link TestImages#coded} photo carries, -1 for any other. */
    public record Photo(int width, int height, int bytes, String mimeType, String detail, int code) {
        /** OpenAI's count: 85 at low detail; at high, 85 plus 170 per 512 px tile after fitting 2048 and 768. */
        int tokens() {
            if ("low".equals(detail)) {
                return 85;
            }
            double scale = Math.min(1, 2048.0 / Math.max(width, height));
            double w = width * scale;
            double h = height * scale;
            double shortScale = Math.min(1, 768.0 / Math.min(w, h));
            w *= shortScale;
            h *= shortScale;
            return 85 + 170 * (int) (Math.ceil(w / 512) * Math.ceil(h / 512));
        }
    }

    public FakeOpenAi(int port) throws IOException {
        batchApi = new FakeBatchApi(this);
        server = listen(port);
        boundPort = server.getAddress().getPort();
    }

    private HttpServer listen(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/v1/chat/completions", this::handle);
        http.createContext("/v1/files", batchApi::files);
        http.createContext("/v1/batches", batchApi::batches);
        http.start();
        return http;
    }

    /**
     * The provider goes away, as in an outage: its port closes (a new connection is refused) and the calls it was
     * answering are cut off. {@link #start()} brings it back on the same port.
     */
    public void stop() {
        server.stop(0);
    }

    /** Back after {@link #stop()}, on the same address. */
    public void start() throws IOException {
        server = listen(boundPort);
    }

    /**
     * A gateway outage: every chat call is answered {@code status} (502, 503, 504…) with an HTML page, as a load
     * balancer in front of a provider does; 0 ends it.
     */
    public void outage(int status) {
        outageStatus = status;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + boundPort + "/v1";
    }

    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** Counts tokens from the request and answer text, about four characters a token, as a real provider would. */
    /**
     * Oracle mode: answers an item it knows ({@code truth}, keyed by {@link #itemKey}; its right categories, or right
     * taxonomy paths, see {@link #onPath}) as a good model would: right on
     * {@code rightShare} of the items (which ones is fixed by a hash of the item's text, so an item gets the same answer
     * every time), with the first of its right categories the call offers; when the call offers none of them but lets it
     * say that none fits ("None of these"), it says so on that share too; otherwise it answers with another option of
     * the call, also chosen by the hash. Items it does not know are answered as before.
     */
    public void oracle(Map<String, java.util.Set<String>> truth, double rightShare) {
        this.truth = Map.copyOf(truth);
        this.rightShare = rightShare;
    }

    /** How the oracle knows a photo made by {@link TestImages#coded}: by the code it carries. */
    public static String photoKey(int code) {
        return "photo:" + code;
    }

    /** How the oracle knows an item: its name and description as the service writes them into the prompt. */
    public static String itemKey(String name, String description) {
        String key = "Name: " + (name == null ? "" : name.strip());
        return description == null || description.isBlank() ? key : key + "\nDescription: " + description.strip();
    }

    /** The oracle's answer for an item among {@code offered}; null when the oracle is off or does not know the item. */
    private String oracleAnswer(String item, List<String> offered) {
        Map<String, java.util.Set<String>> known = truth;
        java.util.Set<String> right = known == null ? null : known.get(item.strip());
        if (right == null || offered.isEmpty()) {
            return null;
        }
        long hash = mix(item.strip().hashCode());
        boolean isRight = rightOn(item);
        List<String> rightOnes = offered.stream().filter(c -> right.stream().anyMatch(path -> onPath(c, path))).toList();
        if (isRight && !rightOnes.isEmpty()) {
            // a good model takes a category on or under a right path over an ancestor on the way down to one, and of
            // the ancestors the nearest: it goes down a level rather than stop above the path
            return rightOnes.stream().filter(c -> right.stream().anyMatch(path -> c.equals(path) || c.startsWith(path + " > ")))
                    .findFirst().orElse(rightOnes.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow());
        }
        Optional<String> noneFits = offered.stream().filter(FakeOpenAi::saysNoneFits).findFirst();
        if (isRight && noneFits.isPresent()) {
            return noneFits.get(); // nothing offered is right, and the call lets it say so: a good model does
        }
        List<String> wrong = offered.stream().filter(c -> !rightOnes.contains(c)).toList();
        return wrong.isEmpty() ? offered.getFirst() : wrong.get((int) Math.floorMod(mix(hash), (long) wrong.size()));
    }

    /**
     * Whether the oracle is right on {@code item} (by {@link #itemKey}) whenever a right category is offered: fixed by a
     * hash of its text, so that a sample's own share, not only the stated one, can be reported.
     */
    public boolean rightOn(String item) {
        return (mix(item.strip().hashCode()) >>> 11) * 0x1.0p-53 < rightShare;
    }

    /** An option that says no category on the list fits (a way out, {@code "None of these"}), not a category. */
    static boolean saysNoneFits(String option) {
        return option.toLowerCase(Locale.ROOT).startsWith("none of ");
    }

    /**
     * Whether {@code category} is right for a truth of {@code path}, both written as taxonomy paths ("Furniture > Beds"):
     * the path itself, a category under it, or one of its ancestors, as a model walking the tree would choose on its
     * way down. Flat names are right only when equal.
     */
    public static boolean onPath(String category, String path) {
        return category.equals(path) || category.startsWith(path + " > ") || path.startsWith(category + " > ");
    }

    /** A 64-bit hash spread over all bits (SplitMix64's finaliser). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** What was wrong with each request that did not hold to OpenAI's request schema; empty when all did. */
    public List<String> invalidRequests() {
        return List.copyOf(invalid);
    }

    /** The 400 OpenAI answers a request that breaks its schema; null when the request holds. */
    private Reply invalidRequest(String body) {
        List<String> errors = RequestSchema.errors(body);
        if (errors.isEmpty()) {
            return null;
        }
        invalid.add(String.join("; ", errors));
        return error(400, "invalid_request_error", "Invalid request: " + errors.getFirst(), Map.of());
    }

    public void countTokens(boolean on) {
        countTokens = on;
    }

    public void usage(int prompt, int cached, int completion) {
        this.promptTokens = prompt;
        this.cachedTokens = cached;
        this.completionTokens = completion;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The Files and Batches endpoints of this fake. */
    public FakeBatchApi batchApi() {
        return batchApi;
    }

    boolean refuses(String authorization) {
        return authorization != null && rejectedKeys.contains(authorization.replaceFirst("^Bearer ", ""));
    }

    /**
     * What the chat endpoint would answer to one request line of a batch: the status, and the completion body
     * (or error body). Batch lines do not count against the request buckets, as at OpenAI.
     */
    Map.Entry<Integer, String> answerBatchLine(JsonNode body, String authorization) {
        Reply refused = invalidRequest(body.toString());
        if (refused != null) {
            return Map.entry(refused.status, refused.rawBody != null ? refused.rawBody : refused.content);
        }
        String prompt = userPrompt(body);
        String item = section(prompt, "Item:");
        int nth = callsPerItem.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
        Reply reply = decide(item, nth, prompt, null, enumOfCategory(body.path("response_format")));
        String model = body.path("model").asText();
        if (countTokens) {
            promptChars.set(promptLength(body));
        }
        calls.add(new Call(item, model, authorization, System.nanoTime(), reply.status, prompt, null,
                body.path("response_format"), systemPrompt(body)));
        return Map.entry(reply.status, reply.rawBody != null ? reply.rawBody : completion(model, reply.content, 0));
    }

    /**
     * Answers 400 to every call made with {@code key} that carries a {@code json_schema} response format, as
     * gateways and models without structured outputs do.
     */
    public void refuseSchemas(String key) {
        schemaRefusingKeys.add(key);
    }

    /** Answers every call made with {@code key} with 401, as for a revoked key. */
    public void rejectKey(String key) {
        rejectedKeys.add(key);
    }

    /**
     * Gives each key a bucket of {@code limit} requests that refills evenly over {@code window} (OpenAI's window
     * is a minute), and answers 429 when a key's bucket is empty.
     */
    public void limitRequests(long limit, Duration window) {
        limitRequests(limit, window, Headers.FULL, window);
    }

    /**
     * {@code limit} requests per {@code window} for each key, told in {@code style}. With {@link Headers#FULL} the
     * limit is OpenAI's bucket (a window's requests, refilled evenly); otherwise it is enforced over fixed windows
     * of {@code enforcedOver}, each admitting its share of the limit (600 a minute over 1 s: 10 each second).
     */
    public void limitRequests(long limit, Duration window, Headers style, Duration enforcedOver) {
        buckets.keySet().removeIf(k -> !keyLimits.containsKey(k));
        requestLimit = limit;
        limitWindow = window;
        headerStyle = style;
        this.enforcedOver = enforcedOver;
    }

    /**
     * No limit and no {@code x-ratelimit-*} headers: a provider that states none and never answers 429 (a self-hosted
     * model), so a benchmark measures the service, not a limit. The default is OpenAI's 30,000 requests a minute.
     */
    public void noLimit() {
        limitRequests(1_000_000_000L, Duration.ofMinutes(1), Headers.NONE, Duration.ofSeconds(1)); // never reached
    }

    /** Gives one key a limit of its own, in the way {@link #limitRequests(long, Duration, Headers, Duration)} does. */
    public void limitKey(String key, long limit, Duration window, Headers style, Duration enforcedOver) {
        KeyLimit keyLimit = new KeyLimit(limit, window, style, enforcedOver);
        keyLimits.put(key, keyLimit);
        buckets.put(key, keyLimit.limiter());
    }

    /** Makes the refused keys and request limits set so far what {@link #reset()} returns to. */
    public void keepAsBaseline() {
        java.util.Set<String> rejected = java.util.Set.copyOf(rejectedKeys);
        java.util.Set<String> refusing = java.util.Set.copyOf(schemaRefusingKeys);
        long limit = requestLimit;
        Duration window = limitWindow;
        Headers style = headerStyle;
        Duration over = enforcedOver;
        Map<String, KeyLimit> perKey = Map.copyOf(keyLimits);
        baseline = () -> {
            rejectedKeys.addAll(rejected);
            schemaRefusingKeys.addAll(refusing);
            perKey.forEach((k, l) -> limitKey(k, l.limit(), l.window(), l.style(), l.enforcedOver()));
            limitRequests(limit, window, style, over);
        };
    }

    public List<Call> callsFor(String marker) {
        return calls.stream().filter(c -> c.item().contains(marker)).toList();
    }

    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    public int inProgress() {
        return concurrent.get();
    }

    public void open(String gate) {
        gate(gate).countDown();
    }

    /** Forgets calls, opens every gate and releases hung calls, so tests start from nothing. */
    public void reset() {
        truth = null;
        outageStatus = 0;
        gates.values().forEach(CountDownLatch::countDown);
        gates.clear();
        shutdown.countDown();
        shutdown = new CountDownLatch(1);
        calls.clear();
        callsPerItem.clear();
        maxConcurrent.set(0);
        latency = Duration.ZERO;
        usage(100, 0, 20);
        countTokens = false;
        rejectedKeys.clear();
        schemaRefusingKeys.clear();
        keyLimits.clear();
        buckets.clear();
        limitRequests(30_000, Duration.ofMinutes(1));
        baseline.run();
        if (batchApi != null) {
            batchApi.reset();
        }
    }

    @Override
    public void close() {
        reset();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        boolean answered = false;
        try (exchange) {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply refused = invalidRequest(raw);
            if (refused != null) {
                concurrent.decrementAndGet();
                answered = true;
                send(exchange, refused, "", 0);
                return;
            }
            JsonNode request = JSON.readTree(raw);
            String prompt = userPrompt(request);
            List<Photo> photos = photos(request);
            Photo photo = photos.isEmpty() ? null : photos.getFirst();
            String item = prompt.contains(PACK) ? section(prompt, PACK)
                    : section(prompt, prompt.contains("Item (the attached photo") ? "its text is context):" : "Item:");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            int down = outageStatus;
            if (down != 0) {
                calls.add(new Call(item, request.path("model").asText(), authorization, System.nanoTime(), down, prompt,
                        photo, request.path("response_format"), systemPrompt(request)));
                concurrent.decrementAndGet();
                answered = true;
                send(exchange, new Reply(down, null, "<html><body><h1>" + down + " Service Unavailable</h1></body></html>",
                        Map.of("Content-Type", "text/html")), "", 0);
                return;
            }
            Reply reply = byKey(authorization == null ? "" : authorization.replaceFirst("^Bearer ", ""), item, prompt, photos,
                    photo, request.path("response_format"));
            calls.add(new Call(item, request.path("model").asText(), authorization, System.nanoTime(), reply.status,
                    prompt, photo, request.path("response_format"), systemPrompt(request)));
            hold(item);
            if (countTokens) {
                promptChars.set(promptLength(request)); // a copy of the messages: only when usage counts them
            }
            // over before the answer goes out: once the client has read it, it may send its next call at once,
            // and that one must not be counted beside this one
            concurrent.decrementAndGet();
            answered = true;
            send(exchange, reply, request.path("model").asText(), photos.stream().mapToInt(Photo::tokens).sum());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!answered) {
                concurrent.decrementAndGet();
            }
        }
    }

    private record Reply(int status, String content, String rawBody, Map<String, String> headers) {
        Reply with(Map<String, String> more) {
            Map<String, String> all = new java.util.HashMap<>(more);
            all.putAll(headers); // the reply's own headers win
            return new Reply(status, content, rawBody, all);
        }
    }

    /** What the provider says before it looks at the item: a refused key, or an empty request bucket. */
    private Reply byKey(String key, String item, String prompt, List<Photo> photos, Photo photo, JsonNode format) {
        if (rejectedKeys.contains(key)) {
            return error(401, "invalid_api_key", "Incorrect API key provided: " + key.substring(0, Math.min(6, key.length()))
                    + "***. You can find your API key at https://platform.openai.com/account/api-keys.", Map.of());
        }
        if (schemaRefusingKeys.contains(key) && "json_schema".equals(format.path("type").asText())) {
            return error(400, "invalid_request_error", "Invalid parameter: 'response_format' of type 'json_schema' is not "
                    + "supported with this model.", Map.of());
        }
        Limiter bucket = buckets.computeIfAbsent(key,
                k -> new KeyLimit(requestLimit, limitWindow, headerStyle, enforcedOver).limiter());
        Taken taken = bucket.take();
        if (!taken.granted()) {
            long seconds = Math.max(1, (long) Math.ceil(taken.reset().toMillis() / 1000.0));
            Map<String, String> headers = new java.util.HashMap<>(taken.headers());
            headers.put("Retry-After", String.valueOf(seconds));
            return error(429, "rate_limit_exceeded", "Rate limit reached for requests per min (RPM): Limit "
                    + requestLimit + ". Please try again in " + taken.reset().toMillis() + "ms.", headers);
        }
        int nth = callsPerItem.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
        List<String> allowed = enumOfCategory(format);
        Reply reply = prompt.contains("Photos attached:") ? describe(prompt, photos)
                : prompt.contains(PACK) && !item.contains("[garbage]") ? pack(item, prompt, allowed)
                : decide(item, nth, prompt, photo, allowed);
        return reply.with(taken.headers());
    }

    /** What a key's limit said to one request: let through or not, when it frees up, and the headers to send. */
    private record Taken(boolean granted, Duration reset, Map<String, String> headers) {
    }

    /** One key's request limit. */
    private interface Limiter {
        Taken take();
    }

    /**
     * A limit enforced over short fixed windows, as API gateways count: each window admits its share of the
     * limit, and a refused request is told to come back when the window ends.
     */
    private static final class FixedWindows implements Limiter {
        private final long limit;
        private final long perWindow;
        private final long windowNanos;
        private final Headers style;
        private final long origin = System.nanoTime();
        private long window = -1;
        private long count;

        FixedWindows(long limit, Duration per, Duration enforcedOver, Headers style) {
            this.limit = limit;
            this.windowNanos = enforcedOver.toNanos();
            this.perWindow = Math.max(1, limit * windowNanos / per.toNanos());
            this.style = style;
        }

        @Override
        public synchronized Taken take() {
            long now = System.nanoTime() - origin;
            if (now / windowNanos != window) {
                window = now / windowNanos;
                count = 0;
            }
            boolean granted = count < perWindow;
            if (granted) {
                count++;
            }
            Duration reset = Duration.ofNanos((window + 1) * windowNanos - now);
            Map<String, String> headers = style == Headers.LIMIT_ONLY
                    ? Map.of("x-ratelimit-limit-requests", String.valueOf(limit), "x-ratelimit-limit-tokens", "150000000")
                    : Map.of();
            return new Taken(granted, reset, headers);
        }
    }

    /** One key's request bucket, as OpenAI keeps it: it refills evenly, and a minute's worth is its size. */
    private static final class KeyBucket implements Limiter {
        private final long limit;
        private final double perNano;
        private double content;
        private long at = System.nanoTime();

        KeyBucket(long limit, Duration window) {
            this.limit = limit;
            this.perNano = limit / (double) window.toNanos();
            this.content = limit;
        }

        @Override
        public synchronized Taken take() {
            long now = System.nanoTime();
            content = Math.min(limit, content + (now - at) * perNano);
            at = now;
            boolean granted = content >= 1;
            if (granted) {
                content -= 1;
            }
            Duration reset = Duration.ofNanos((long) ((limit - content) / perNano));
            Duration untilOne = Duration.ofNanos((long) (Math.max(0, 1 - content) / perNano));
            return new Taken(granted, granted ? reset : untilOne, Map.of(
                    "x-ratelimit-limit-requests", String.valueOf(limit),
                    "x-ratelimit-remaining-requests", String.valueOf((long) Math.floor(content)),
                    "x-ratelimit-reset-requests", reset.toMillis() < 1000 ? reset.toMillis() + "ms"
                            : String.format(Locale.ROOT, "%.3fs", reset.toMillis() / 1000.0),
                    "x-ratelimit-limit-tokens", "150000000",
                    "x-ratelimit-remaining-tokens", "149990000",
                    "x-ratelimit-reset-tokens", "4ms"));
        }
    }

    private Reply decide(String item, int nth, String prompt, Photo photo, List<String> allowed) {
        if (nth <= count(item, "429")) {
            String seconds = String.valueOf(count(item, "retry-after") > 0 ? count(item, "retry-after") : 1);
            return error(429, "rate_limit_exceeded", "Rate limit reached for requests", Map.of("Retry-After", seconds));
        }
        if (nth <= count(item, "500")) {
            return error(500, "server_error", "The server had an error while processing your request.", Map.of());
        }
        if (item.contains("[broken]")) {
            return new Reply(200, null, "<html>upstream proxy error</html>", Map.of());
        }
        if (item.contains("[garbage]") || nth <= count(item, "garbage")) {
            return new Reply(200, "I believe this item is probably some kind of furniture.", null, Map.of());
        }
        List<String> categories = allowed != null ? allowed : categories(prompt);
        String known = photo != null && photo.code() >= 0 ? photoKey(photo.code()) : item; // the oracle knows a coded photo
        String category = choose(item, categories, allowed != null, prompt.contains(ASKED_AGAIN), oracleAnswer(known, categories));
        double confidence = category.equals(categories.getFirst()) ? 0.4 : 0.9;
        if (photo != null) {
            return new Reply(200, "{\"category\":\"" + category + "\",\"confidence\":" + confidence
                    + ",\"features\":[{\"feature_name\":\"frame\",\"description\":\"a " + photo.width() + "x"
                    + photo.height() + " photo\",\"condition\":\"good\",\"quality_rating\":7}],"
                    + "\"summary\":\"A product photo.\"}", null, Map.of());
        }
        return new Reply(200, "{\"category\":\"" + category + "\",\"confidence\":" + confidence + "}", null, Map.of());
    }

    private void hold(String item) throws InterruptedException {
        Matcher gate = Pattern.compile("\\[gate:([a-z0-9-]+)]").matcher(item);
        if (gate.find()) {
            gate(gate.group(1)).await(60, TimeUnit.SECONDS);
        }
        if (item.contains("[hang]")) {
            shutdown.await(60, TimeUnit.SECONDS);
        }
        long wait = latency.toMillis() + count(item, "slow");
        if (wait > 0) {
            // the simulated provider latency; waiting on the latch lets reset() release slow calls too
            shutdown.await(wait, TimeUnit.MILLISECONDS);
        }
    }

    private void send(HttpExchange exchange, Reply reply, String model, int imageTokens) throws IOException {
        reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (!reply.headers.containsKey("Content-Type")) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.getResponseHeaders().add("x-request-id", "req_fake_" + calls.size());
        String body = reply.rawBody != null ? reply.rawBody : completion(model, reply.content, imageTokens);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Reply error(int status, String code, String message, Map<String, String> headers) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", code).putNull("param").put("code", code);
        return new Reply(status, null, body.toString(), headers);
    }

    private String completion(String model, String content, int imageTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-fake-" + calls.size()).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model)
                .put("system_fingerprint", "fp_fake");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
        ObjectNode usage = body.putObject("usage");
        int prompt = countTokens ? promptChars.get() / 4 : promptTokens;
        int answer = countTokens ? content.length() / 4 : completionTokens;
        usage.put("prompt_tokens", prompt + imageTokens).put("completion_tokens", answer)
                .put("total_tokens", prompt + imageTokens + answer);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
        return body.toString();
    }

    /**
     * Several items in one question: one entry per item, keyed by its id. {@code [pack-missing]} leaves an item's
     * entry out, {@code [pack-garbled]} names a category not in the list, {@code [pack-extra]} adds an entry for
     * an id that was not asked about.
     */
    private Reply pack(String items, String prompt, List<String> allowed) {
        List<String> categories = allowed != null ? allowed : categories(prompt);
        ObjectNode answer = JSON.createObjectNode();
        var entries = answer.putArray("answers");
        Matcher m = Pattern.compile("\\[id: ([^\\]]+)]\n(.*?)(?=\n\\[id: |\\z)", Pattern.DOTALL).matcher(items);
        while (m.find()) {
            String text = m.group(2);
            if (text.contains("[pack-missing]")) {
                continue;
            }
            if (text.contains("[pack-garbled]") && allowed != null) { // the schema holds it to the list: it repeats the id
                entries.addObject().put("id", m.group(1)).put("category", categories.getFirst()).put("confidence", 0.9);
                entries.addObject().put("id", m.group(1)).put("category", categories.getLast()).put("confidence", 0.9);
                continue;
            }
            entries.addObject().put("id", m.group(1))
                    .put("category", text.contains("[pack-garbled]") ? "Spaceships" : choose(text, categories, allowed != null, false,
                            oracleAnswer(text, categories)))
                    .put("confidence", 0.9);
        }
        if (items.contains("[pack-extra]")) {
            entries.addObject().put("id", "not-asked").put("category", categories.getFirst()).put("confidence", 0.5);
        }
        return new Reply(200, answer.toString(), null, Map.of());
    }

    private CountDownLatch gate(String name) {
        return gates.computeIfAbsent(name, k -> new CountDownLatch(1));
    }

    /** The folder command's batch question: one feature per photo received, and a summary. */
    private static Reply describe(String prompt, List<Photo> photos) {
        String category = prompt.substring(prompt.indexOf("Category:") + 9, prompt.indexOf('\n', prompt.indexOf("Category:"))).strip();
        ObjectNode answer = JSON.createObjectNode();
        var features = answer.putArray("features");
        for (int i = 0; i < photos.size(); i++) {
            features.addObject().put("feature_name", category + " item " + (i + 1))
                    .put("description", "seen in a " + photos.get(i).width() + "x" + photos.get(i).height() + " photo")
                    .put("condition", "good").put("quality_rating", 6 + i % 3);
        }
        answer.put("summary", photos.size() + " photos of " + category + " in good condition");
        return new Reply(200, answer.toString(), null, Map.of());
    }

    /** The image_url parts of the user message, decoded. */
    private static List<Photo> photos(JsonNode request) {
        List<Photo> photos = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            for (JsonNode part : message.path("content")) {
                String url = part.path("image_url").path("url").asText("");
                String detail = part.path("image_url").path("detail").asText("auto");
                if (url.startsWith("data:")) {
                    String mime = url.substring(5, url.indexOf(';'));
                    byte[] bytes = java.util.Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
                    try {
                        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
                        photos.add(new Photo(image.getWidth(), image.getHeight(), bytes.length, mime, detail, TestImages.code(image)));
                    } catch (IOException e) {
                        photos.add(new Photo(0, 0, bytes.length, mime, detail, -1));
                    }
                }
            }
        }
        return photos;
    }

    private static String userPrompt(JsonNode request) {
        StringBuilder text = new StringBuilder();
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                if (content.isArray()) {
                    content.forEach(part -> text.append(part.path("text").asText("")));
                } else {
                    text.append(content.asText());
                }
            }
        }
        return text.toString();
    }

    /** The text after {@code heading} up to the next blank line. */
    private static String section(String prompt, String heading) {
        int start = prompt.indexOf(heading);
        if (start < 0) {
            return prompt;
        }
        String rest = prompt.substring(start + heading.length()).strip();
        int end = rest.indexOf("\n\n");
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static List<String> categories(String prompt) {
        List<String> found = new ArrayList<>();
        Matcher m = CATEGORY_LINE.matcher(section(prompt, "Categories:"));
        while (m.find()) {
            found.add(m.group(1).strip());
        }
        return found.isEmpty() ? List.of("Unknown") : found;
    }

    /**
     * What the model names. Held to an {@code enum}, it can only pick from it, and does ({@code [outside]} has no
     * effect). Unconstrained, it writes the category the way a weak model fills a free string: the path's last step,
     * in lower case, its plural changed (so never exactly as listed), unless told why its answer was unusable, when
     * it copies the name; {@code [outside]} names a category that is not on the list at all.
     */
    private static String choose(String item, List<String> categories, boolean constrained, boolean askedAgain, String known) {
        String noneFits = item.contains("[none-fits]") ? categories.stream().filter(FakeOpenAi::saysNoneFits).findFirst().orElse(null)
                : null;
        String best = noneFits != null ? noneFits : known != null ? known : bestCategory(item, categories);
        if (constrained || askedAgain && !item.contains("[outside]")) {
            return best;
        }
        if (item.contains("[outside]")) {
            return "Spaceships";
        }
        String leaf = best.substring(best.lastIndexOf('>') + 1).strip().toLowerCase(Locale.ROOT);
        return leaf.endsWith("s") ? leaf.substring(0, leaf.length() - 1) : leaf + "s";
    }

    /** The {@code enum} of the {@code category} property anywhere in a {@code response_format}; null when none. */
    static List<String> enumOfCategory(JsonNode node) {
        if (node == null || !node.isContainerNode()) {
            return null;
        }
        JsonNode values = node.path("properties").path("category").path("enum");
        if (values.isArray()) {
            List<String> found = new ArrayList<>();
            values.forEach(v -> found.add(v.asText()));
            return found;
        }
        for (JsonNode child : node) {
            List<String> found = enumOfCategory(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * What a provider counts as the prompt's text: the messages and the response format's schema, which it reads too. A
     * photo's base64 is not text: it is counted in tiles ({@link Photo#tokens}), added to the usage separately.
     */
    private static int promptLength(JsonNode request) {
        JsonNode format = request.path("response_format");
        JsonNode messages = request.path("messages").deepCopy();
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("content")) {
                if (part.path("image_url").isObject()) {
                    ((ObjectNode) part.path("image_url")).put("url", "");
                }
            }
        }
        return messages.toString().length() + (format.isMissingNode() ? 0 : format.toString().length());
    }

    private static String systemPrompt(JsonNode request) {
        for (JsonNode message : request.path("messages")) {
            if ("system".equals(message.path("role").asText())) {
                return message.path("content").asText();
            }
        }
        return "";
    }

    /** The category sharing most word stems with the item; the first category when none does. */
    private static String bestCategory(String item, List<String> categories) {
        String text = item.toLowerCase(Locale.ROOT);
        String best = categories.getFirst();
        int bestScore = 0;
        for (String category : categories) {
            if (saysNoneFits(category)) {
                continue; // a way out, not a category: matching words never picks it ([none-fits] does)
            }
            int score = 0;
            for (String word : category.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
                String stem = word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
                if (stem.length() >= 3 && text.contains(stem)) {
                    score++;
                }
            }
            if (score > bestScore) {
                best = category;
                bestScore = score;
            }
        }
        return best;
    }

    private static int count(String item, String marker) {
        Matcher m = Pattern.compile("\\[" + marker + ":(\\d+)]").matcher(item);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Runs the fake on its own: {@code FakeOpenAi <port> <latency-ms>}; used by the benchmark. */
    public static void main(String[] args) throws Exception {
        FakeOpenAi fake = new FakeOpenAi(Integer.parseInt(args[0]));
        fake.latency(Duration.ofMillis(Long.parseLong(args[1])));
        System.out.println("fake OpenAI at " + fake.baseUrl());
        Thread.currentThread().join();
    }
}
