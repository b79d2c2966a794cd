package dev.catalogclassifier.batchapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.llm.ProviderPool;

/**
 * The OpenAI Files and Batches endpoints, over the JDK's HTTP client: a multipart upload and four small JSON
 * calls, which LangChain4j does not cover. Blocking; called from the runner's virtual thread. Error bodies are
 * never read into messages, since they can quote the key.
 */
@ApplicationScoped
public class BatchApiClient {

    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json;

    public BatchApiClient(ObjectMapper json) {
        this.json = json;
    }

    /** A provider answer other than 2xx, or no answer; {@code status} is 0 when none came. */
    public static final class Failure extends RuntimeException {
        private final int status;

        Failure(int status, String message, Throwable cause) {
            super(message, cause, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** 4xx other than 408 and 429: the same call would fail again. */
        public boolean permanent() {
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }
    }

    /** {@code POST /files} with {@code purpose=batch}; answers the file id. */
    public String upload(ProviderPool.Endpoint key, String filename, byte[] jsonl) {
        String boundary = "----catalog-classifier-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = request(key, "/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(jsonl), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        return send(request, "upload the batch file").path("id").asText();
    }

    /** {@code POST /batches} for chat completions; answers the batch object. */
    public JsonNode create(ProviderPool.Endpoint key, String inputFileId, String window, Map<String, String> metadata) {
        Map<String, Object> body = Map.of("input_file_id", inputFileId, "endpoint", "/v1/chat/completions",
                "completion_window", window, "metadata", metadata);
        return send(request(key, "/batches").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))).build(), "create the batch");
    }

    public JsonNode get(ProviderPool.Endpoint key, String batchId) {
        return send(request(key, "/batches/" + batchId).GET().build(), "read the batch");
    }

    public JsonNode cancel(ProviderPool.Endpoint key, String batchId) {
        return send(request(key, "/batches/" + batchId + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build(),
                "cancel the batch");
    }

    /** {@code GET /files/{id}/content}: a result file, JSONL. */
    public String content(ProviderPool.Endpoint key, String fileId) {
        HttpResponse<String> response = exchange(request(key, "/files/" + fileId + "/content").GET().build(),
                "download a result file");
        return response.body();
    }

    private static HttpRequest.Builder request(ProviderPool.Endpoint key, String path) {
        return HttpRequest.newBuilder(URI.create(key.baseUrl().replaceAll("/+$", "") + path))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + key.secret());
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            return json.readTree(exchange(request, what).body());
        } catch (IOException e) {
            throw new Failure(0, "could not " + what + ": the answer was not JSON", e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(0, "could not " + what + ": the provider could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(0, "could not " + what + ": interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new Failure(response.statusCode(), "could not " + what + ": HTTP " + response.statusCode(), null);
        }
        return response;
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
