package dev.catalogclassifier.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Requests over the size limits are answered with a problem document, as every other bad request, over a raw socket
 * so the test sends exactly what a careless client would.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class HttpLimitsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aUriTooLongIs414Problem() throws IOException {
        String answer = exchange("GET /api/v1/jobs?x=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem(answer, 414, "longer than 4096 characters");
    }

    @Test
    void headersTooLargeAre431Problem() throws IOException {
        String answer = exchange("GET /api/v1/jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(30_000) + "\r\n\r\n");
        assertProblem(answer, 431, "larger than 20480 bytes");
    }

    @Test
    void aBodyDeclaredOverTheLimitIs413ProblemBeforeItIsSent() throws IOException {
        String answer = exchange("POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200000000\r\n\r\n{\"items\": [");
        assertProblem(answer, 413, "larger than 104857600 bytes");
    }

    @Test
    void requestsWithinTheLimitsAreAnsweredAsBefore() throws IOException {
        String answer = exchange("GET /api/v1/jobs?limit=abc HTTP/1.1\r\nHost: x\r\nX-Fine: " + "a".repeat(1_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).as(answer).startsWith("HTTP/1.1 400");
    }

    private static void assertProblem(String answer, int status, String detail) {
        assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status)
                .containsIgnoringCase("content-type: application/problem+json")
                .contains("\"status\":" + status).contains(detail)
                .as("the connection is closed after the answer: an unread body is not the next request")
                .doesNotContain("[no close");
    }

    /** Sends the bytes and reads the answer until the server closes the connection. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                answer.write(("\n[no close after 30 s; read so far above]").getBytes(StandardCharsets.UTF_8));
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
