package dev.catalogclassifier.batchapi;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.llm.ProviderPool;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.buffer.Buffer;

/**
 * The Batch API's calls for the runner, through the {@link BatchApi} REST client: one client per provider base URL,
 * the key's secret per call. Blocking; called from the runner's virtual thread. Failures leave as {@link Failure}
 * with the HTTP status; error bodies are never read into messages, since they can quote the key.
 */
@ApplicationScoped
public class BatchApiClient {

    private static final long CONNECT_TIMEOUT_S = 10;
    private static final long CALL_TIMEOUT_MIN = 5;

    private final Map<String, BatchApi> clients = new ConcurrentHashMap<>();

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
        ClientMultipartForm form = ClientMultipartForm.create().attribute("purpose", "batch", null)
                .binaryFileUpload("file", filename, Buffer.buffer(jsonl), "application/jsonl");
        return call(key, "upload the batch file", api -> api.upload(bearer(key), form)).path("id").asText();
    }

    /** {@code POST /batches} for chat completions; answers the batch object. */
    public JsonNode create(ProviderPool.Endpoint key, String inputFileId, String window, Map<String, String> metadata) {
        Map<String, Object> batch = Map.of("input_file_id", inputFileId, "endpoint", "/v1/chat/completions",
                "completion_window", window, "metadata", metadata);
        return call(key, "create the batch", api -> api.create(bearer(key), batch));
    }

    public JsonNode get(ProviderPool.Endpoint key, String batchId) {
        return call(key, "read the batch", api -> api.get(bearer(key), batchId));
    }

    public JsonNode cancel(ProviderPool.Endpoint key, String batchId) {
        return call(key, "cancel the batch", api -> api.cancel(bearer(key), batchId));
    }

    /** {@code GET /files/{id}/content}: a result file, JSONL. */
    public String content(ProviderPool.Endpoint key, String fileId) {
        return call(key, "download a result file", api -> api.content(bearer(key), fileId));
    }

    private <T> T call(ProviderPool.Endpoint key, String what, Function<BatchApi, T> call) {
        try {
            T answer = call.apply(client(key.baseUrl()));
            if (answer == null) {
                throw new Failure(0, "could not " + what + ": the answer was empty", null);
            }
            return answer;
        } catch (WebApplicationException e) {
            throw new Failure(e.getResponse().getStatus(), "could not " + what + ": HTTP " + e.getResponse().getStatus(), null);
        } catch (ProcessingException e) {
            // no answer, or one that was not JSON; the cause says which, and never holds the body
            throw new Failure(0, "could not " + what + ": the provider could not be reached or answered no JSON", e);
        }
    }

    private BatchApi client(String baseUrl) {
        return clients.computeIfAbsent(baseUrl.replaceAll("/+$", ""), url -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url))
                .connectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
                .readTimeout(CALL_TIMEOUT_MIN, TimeUnit.MINUTES)
                .build(BatchApi.class));
    }

    private static String bearer(ProviderPool.Endpoint key) {
        return "Bearer " + key.secret();
    }
}
