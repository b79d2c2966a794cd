package dev.catalogclassifier.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.TenantCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/**
 * Callers as tenants, through HTTP with real credentials: tenant A holds an API key, tenant B a bearer token signed by
 * the trusted issuer's key, and "ops" an admin key. What each may see of the others' jobs, and what a caller without
 * (good) credentials gets.
 */
@QuarkusTest
@TestProfile(TenantCallers.Profile.class)
@WithTestResource(FakeOpenAiResource.class)
class AuthTest {

    @Test
    void aCallerWithoutCredentialsIsA401Problem() {
        for (String path : List.of("/api/v1/jobs", "/api/v1/taxonomies", "/api/v1/providers")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"));
        }
        given().contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"1\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/classifications").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aWrongKeyOrAnExpiredForeignOrForgedTokenIsA401ProblemThatNeverRepeatsTheSecret() throws Exception {
        String expired = Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("b").claim("tenant", "b").issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign(TenantCallers.key("privateKey.pem"));
        String foreign = Jwt.issuer("https://elsewhere.test").audience(TenantCallers.AUDIENCE).subject("b").claim("tenant", "b").sign(TenantCallers.key("privateKey.pem"));
        String forged = Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("b").claim("tenant", "b").sign(TenantCallers.key("otherPrivateKey.pem"));
        java.util.List<LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler all = capture(logged);
        try {
            List<RequestSpecification> callers = List.of(given().header("X-API-Key", "ck-not-a-key-77"),
                    given().auth().oauth2(expired), given().auth().oauth2(foreign), given().auth().oauth2(forged),
                    given().auth().oauth2("not.a.jwt"));
            List<String> secrets = List.of("ck-not-a-key-77", expired, foreign, forged, "not.a.jwt");
            for (int i = 0; i < callers.size(); i++) {
                Response answer = callers.get(i).get("/api/v1/jobs");
                assertThat(answer.statusCode()).as("caller %d: %s", i, answer.asString()).isEqualTo(401);
                assertThat(answer.contentType()).startsWith("application/problem+json");
                assertThat(answer.asString() + answer.headers()).doesNotContain(secrets.get(i));
            }
            String everything = logged.stream().map(r -> r.getMessage() + " " + r.getParameters() + " " + r.getThrown())
                    .reduce("", String::concat);
            secrets.forEach(secret -> assertThat(everything).as("the log").doesNotContain(secret));
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(all);
        }
        given().header("X-API-Key", TenantCallers.KEY_OPS).get("/q/metrics").then().body(not(org.hamcrest.Matchers.containsString(TenantCallers.KEY_A)));
    }

    @Test
    void aTenantSeesOnlyItsOwnJobsAndAnotherTenantsJobIsA404() throws Exception {
        String tokenB = Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("service-b").claim("tenant", "b").sign(TenantCallers.key("privateKey.pem"));
        String jobA = submit(given().header("X-API-Key", TenantCallers.KEY_A));
        String jobB = submit(given().auth().oauth2(tokenB));
        awaitDone(given().header("X-API-Key", TenantCallers.KEY_A), jobA);

        RequestSpecification b = given().auth().oauth2(tokenB);
        for (String path : List.of("", "/results", "/events")) {
            given().auth().oauth2(tokenB).accept(path.equals("/events") ? "text/event-stream" : "application/json")
                    .get("/api/v1/jobs/" + jobA + path).then().statusCode(404).contentType("application/problem+json");
        }
        given().auth().oauth2(tokenB).accept("text/csv").get("/api/v1/jobs/" + jobA + "/results").then().statusCode(404);
        given().auth().oauth2(tokenB).post("/api/v1/jobs/" + jobA + "/retry").then().statusCode(404);
        given().auth().oauth2(tokenB).delete("/api/v1/jobs/" + jobA).then().statusCode(404);
        b.get("/api/v1/jobs").then().statusCode(200).body("items.id", not(hasItem(jobA))).body("items.id", hasItem(jobB));

        given().header("X-API-Key", TenantCallers.KEY_A).get("/api/v1/jobs/" + jobA).then().statusCode(200).body("status", equalTo("completed"));
        given().header("X-API-Key", TenantCallers.KEY_A).get("/api/v1/jobs").then().body("items.id", hasItem(jobA)).body("items.id", not(hasItem(jobB)));
        given().header("X-API-Key", TenantCallers.KEY_OPS).get("/api/v1/jobs?limit=1000").then().statusCode(200)
                .body("items.id", hasItem(jobA)).body("items.id", hasItem(jobB));
    }

    @Test
    void aTokenThatNamesNoTenantIsRefusedAndWritesNothingShared() throws Exception {
        java.security.PrivateKey key = TenantCallers.key("privateKey.pem");
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("empty tenant", Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("s")
                .claim("tenant", "").sign(key));
        tokens.put("blank tenant", Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("s")
                .claim("tenant", "  ").sign(key));
        tokens.put("no tenant, no subject, a upn", Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE)
                .upn("someone@example.test").sign(key));
        tokens.put("array tenant", Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("s")
                .claim("tenant", List.of("a", "b")).sign(key));
        tokens.put("number tenant", Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("s")
                .claim("tenant", 7).sign(key));
        tokens.put("object tenant", Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("s")
                .claim("tenant", Map.of("name", "a")).sign(key));
        String taxonomy = "{\"categories\": [\"Beds\", \"Chairs\"]}";
        tokens.forEach((what, token) -> {
            Response put = given().auth().oauth2(token).contentType(ContentType.JSON).body(taxonomy)
                    .put("/api/v1/taxonomies/shared-poison");
            assertThat(put.statusCode()).as("%s: %s", what, put.asString()).isEqualTo(403);
            assertThat(put.contentType()).startsWith("application/problem+json");
            assertThat(put.asString()).contains("names no tenant");
            given().auth().oauth2(token).delete("/api/v1/taxonomies/shared-poison").then().statusCode(403);
        });
        given().header("X-API-Key", TenantCallers.KEY_OPS).get("/api/v1/taxonomies").then().statusCode(200)
                .body("taxonomies.name", not(hasItem("shared-poison")));
    }

    @Test
    void aTokenForAnotherAudienceOrIssuedInTheFutureIsA401() throws Exception {
        java.security.PrivateKey key = TenantCallers.key("privateKey.pem");
        String elsewhere = Jwt.issuer(TenantCallers.ISSUER).audience("billing-service").subject("b").claim("tenant", "b").sign(key);
        String noAudience = Jwt.issuer(TenantCallers.ISSUER).subject("b").claim("tenant", "b").sign(key);
        String future = Jwt.issuer(TenantCallers.ISSUER).audience(TenantCallers.AUDIENCE).subject("b").claim("tenant", "b")
                .issuedAt(Instant.now().plusSeconds(86_400)).expiresAt(Instant.now().plusSeconds(90_000)).sign(key);
        for (String token : List.of(elsewhere, noAudience, future)) {
            given().auth().oauth2(token).get("/api/v1/jobs").then().statusCode(401).contentType("application/problem+json");
        }
        given().auth().oauth2(TenantCallers.token("b")).get("/api/v1/jobs").then().statusCode(200);
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;

    /** A stranger's chunked upload is answered 401 and its connection closed, not read to its end on our time. */
    @Test
    void aStrangersUploadIsRefusedWithoutReadingItsBody() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ite\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            var in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 401");
            // the rest of the answer, then the end of the connection, though the body never ended
            byte[] rest = in.readAllBytes();
            assertThat(new String(rest, java.nio.charset.StandardCharsets.UTF_8)).containsIgnoringCase("connection: close")
                    .contains("application/problem+json");
        }
    }

    @Test
    void theMetricsRefuseWithTheSameProblemsAsTheApi() {
        given().accept("text/plain").get("/q/metrics").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"))
                .body("title", equalTo("Unauthorized"));
        given().header("X-API-Key", TenantCallers.KEY_A).accept("text/plain").get("/q/metrics").then().statusCode(403)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("admin"));
        given().header("X-API-Key", TenantCallers.KEY_OPS).accept("text/plain").get("/q/metrics").then().statusCode(200);
    }

    @Test
    void theProvidersViewIsAnAdminsOnly() {
        given().header("X-API-Key", TenantCallers.KEY_A).get("/api/v1/providers").then().statusCode(403).contentType("application/problem+json");
        given().header("X-API-Key", TenantCallers.KEY_OPS).get("/api/v1/providers").then().statusCode(200);
    }

    private static String submit(RequestSpecification caller) {
        String location = caller.contentType(ContentType.JSON)
                .body("{\"items\": [{\"id\": \"1\", \"name\": \"MALM bed\"}, {\"id\": \"2\", \"name\": \"ADDE chair\"}]}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void awaitDone(RequestSpecification caller, String id) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().spec(caller).get("/api/v1/jobs/" + id).then().extract().path("status")));
    }

    private static java.util.logging.Handler capture(List<LogRecord> into) {
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(LogRecord record) {
                into.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(handler);
        return handler;
    }
}
