package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * OpenAI's Files and Batches endpoints, as far as the Batch API path uses them: multipart upload with
 * {@code purpose=batch}, batch creation (which checks the file, endpoint and window), status polls that move a
 * batch from {@code validating} through {@code in_progress} to its end, cancel, and file content. When a batch
 * ends, each request line is answered by the chat fake's own logic, so item markers work here too; answers go
 * to the output file, non-200 answers to the error file. {@link #hold()} keeps batches in progress until
 * {@link #release()}; {@link #endAs(String)} makes them end {@code expired} or {@code failed} (an expired batch
 * answers only its first half).
 */
public final class FakeBatchApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeOpenAi chat;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> batches = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private volatile boolean held;
    private volatile String ending = "completed";

    FakeBatchApi(FakeOpenAi chat) {
        this.chat = chat;
    }

    public void hold() {
        held = true;
    }

    public void release() {
        held = false;
    }

    public void endAs(String status) {
        ending = status;
    }

    public int uploads() {
        return uploads.get();
    }

    public int batchesCreated() {
        return batches.size();
    }

    public int polls() {
        return polls.get();
    }

    /** The request lines of every uploaded file, in upload order. */
    public List<JsonNode> uploadedLines() {
        List<JsonNode> lines = new ArrayList<>();
        files.keySet().stream().filter(id -> id.startsWith("file-in-")).sorted().forEach(id -> lines.addAll(lines(files.get(id))));
        return lines;
    }

    public List<String> batchStatuses() {
        return batches.values().stream().map(b -> b.path("status").asText()).toList();
    }

    void reset() {
        files.clear();
        batches.clear();
        owners.clear();
        uploads.set(0);
        polls.set(0);
        held = false;
        ending = "completed";
    }

    void files(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && path.equals("/v1/files")) {
                upload(exchange);
            } else if (path.endsWith("/content") && files.containsKey(fileId(path))) {
                send(exchange, 200, new String(files.get(fileId(path)), StandardCharsets.UTF_8), "application/octet-stream");
            } else {
                error(exchange, 404, "No such File object");
            }
        }
    }

    void batches(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if ("POST".equals(exchange.getRequestMethod()) && path.equals("/v1/batches")) {
                create(exchange, JSON.readTree(exchange.getRequestBody()), authorization);
                return;
            }
            String id = path.replaceFirst("^/v1/batches/", "").replaceFirst("/cancel$", "");
            ObjectNode batch = batches.get(id);
            if (batch == null || !owners.get(id).equals(authorization)) {
                error(exchange, 404, "No batch found with id '" + id + "'.");
                return;
            }
            synchronized (batch) {
                if (path.endsWith("/cancel")) {
                    batch.put("status", "cancelled").put("cancelled_at", now());
                } else {
                    polls.incrementAndGet();
                    advance(batch);
                }
                send(exchange, 200, batch.toString(), "application/json");
            }
        }
    }

    /**
     * The parts of a multipart/form-data body by their {@code name}, as a server reads them (RFC 7578): each part's
     * own headers (Content-Disposition, and any others a client adds) end at a blank line.
     */
    static Map<String, byte[]> parts(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1); // one char per byte, so indexes are offsets
        Map<String, byte[]> parts = new java.util.HashMap<>();
        String delimiter = "--" + boundary;
        int at = text.indexOf(delimiter);
        while (at >= 0 && !text.startsWith("--", at + delimiter.length())) {
            int headers = at + delimiter.length() + 2;
            int content = text.indexOf("\r\n\r\n", headers);
            int next = text.indexOf("\r\n" + delimiter, content);
            if (content < 0 || next < 0) {
                break;
            }
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("(?i)content-disposition:[^\r\n]*\\bname=\"([^\"]*)\"")
                    .matcher(text.substring(headers, content));
            if (name.find()) {
                parts.put(name.group(1), java.util.Arrays.copyOfRange(body, content + 4, next));
            }
            at = next + 2;
        }
        return parts;
    }

    private void upload(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Map<String, byte[]> parts = contentType == null || !contentType.startsWith("multipart/form-data")
                ? Map.of() : parts(body, contentType.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1"));
        if (!"batch".equals(parts.containsKey("purpose") ? new String(parts.get("purpose"), StandardCharsets.UTF_8) : null)) {
            error(exchange, 400, "purpose must be batch");
            return;
        }
        if (!parts.containsKey("file")) {
            error(exchange, 400, "file is required");
            return;
        }
        byte[] content = parts.get("file");
        String id = "file-in-" + String.format("%04d", ids.incrementAndGet());
        files.put(id, content);
        uploads.incrementAndGet();
        ObjectNode file = JSON.createObjectNode().put("id", id).put("object", "file").put("bytes", content.length)
                .put("created_at", now()).put("filename", "batch.jsonl").put("purpose", "batch");
        send(exchange, 200, file.toString(), "application/json");
    }

    private void create(HttpExchange exchange, JsonNode request, String authorization) throws IOException {
        String input = request.path("input_file_id").asText();
        if (!files.containsKey(input) || !"/v1/chat/completions".equals(request.path("endpoint").asText())
                || !"24h".equals(request.path("completion_window").asText())) {
            error(exchange, 400, "Invalid batch: input_file_id, endpoint or completion_window");
            return;
        }
        String id = "batch_" + String.format("%04d", ids.incrementAndGet());
        ObjectNode batch = JSON.createObjectNode().put("id", id).put("object", "batch")
                .put("endpoint", "/v1/chat/completions").put("input_file_id", input)
                .put("completion_window", "24h").put("status", "validating").put("created_at", now())
                .putNull("output_file_id").putNull("error_file_id");
        batch.set("metadata", request.path("metadata"));
        batch.putObject("request_counts").put("total", lines(files.get(input)).size()).put("completed", 0).put("failed", 0);
        batches.put(id, batch);
        owners.put(id, authorization);
        send(exchange, 200, batch.toString(), "application/json");
    }

    /** validating, then in_progress, then (unless held) its end, with the result files written. */
    private void advance(ObjectNode batch) {
        String status = batch.path("status").asText();
        if (status.equals("validating")) {
            batch.put("status", "in_progress").put("in_progress_at", now());
        } else if (status.equals("in_progress") && !held) {
            finish(batch);
        }
    }

    private void finish(ObjectNode batch) {
        List<JsonNode> requests = lines(files.get(batch.path("input_file_id").asText()));
        int answered = ending.equals("expired") ? requests.size() / 2 : ending.equals("failed") ? 0 : requests.size();
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int ok = 0;
        for (JsonNode request : requests.subList(0, answered)) {
            Map.Entry<Integer, String> answer = chat.answerBatchLine(request.path("body"), owners.get(batch.path("id").asText()));
            ObjectNode line = JSON.createObjectNode().put("id", "batch_req_" + ids.incrementAndGet())
                    .put("custom_id", request.path("custom_id").asText());
            ObjectNode response = line.putObject("response").put("status_code", answer.getKey()).put("request_id", "req_" + ids.get());
            response.set("body", read(answer.getValue()));
            line.putNull("error");
            (answer.getKey() == 200 ? output : errors).append(line).append('\n');
            ok += answer.getKey() == 200 ? 1 : 0;
        }
        batch.put("status", ending).put(ending.equals("completed") ? "completed_at" : ending + "_at", now());
        batch.put("output_file_id", store("file-out-", output)).put("error_file_id", store("file-err-", errors));
        ((ObjectNode) batch.path("request_counts")).put("completed", ok).put("failed", answered - ok);
    }

    private String store(String prefix, StringBuilder content) {
        if (content.isEmpty()) {
            return null;
        }
        String id = prefix + ids.incrementAndGet();
        files.put(id, content.toString().getBytes(StandardCharsets.UTF_8));
        return id;
    }

    private boolean refused(HttpExchange exchange) throws IOException {
        if (chat.refuses(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error(exchange, 401, "Incorrect API key provided.");
            return true;
        }
        return false;
    }

    private static List<JsonNode> lines(byte[] file) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(read(line));
            }
        }
        return lines;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String fileId(String path) {
        return path.replaceFirst("^/v1/files/", "").replaceFirst("/content$", "");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("param").putNull("code");
        send(exchange, status, body.toString(), "application/json");
    }

    private static void send(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
