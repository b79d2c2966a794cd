package dev.catalogclassifier.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The jobs API over plain HTTP, for tests and benchmarks that drive a service process. */
public final class JobsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private JobsApi() {
    }

    /** Submits {@code count} items named by {@code name}, for the LLM, and returns the job id; fails unless 202. */
    public static String submit(URI base, int count, IntFunction<String> name) throws Exception {
        return submit(base, count, name, "realtime");
    }

    /** The same, with {@code execution} {@code realtime} or {@code batch-api}. */
    public static String submit(URI base, int count, IntFunction<String> name, String execution) throws Exception {
        String body = "{\"execution\": \"" + execution + "\", \"classifier\": \"llm\", \"taxonomy\": [\"Beds\", \"Chairs\", \"Sofas & armchairs\"], \"items\": [" + IntStream.range(0, count)
                .mapToObj(i -> "{\"id\": \"sku-" + i + "\", \"name\": \"" + name.apply(i) + "\"}")
                .collect(Collectors.joining(",")) + "]}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("id").asText();
    }

    public static JsonNode get(URI base, String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
