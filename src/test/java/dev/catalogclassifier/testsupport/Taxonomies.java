package dev.catalogclassifier.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Stores a named taxonomy as a client would: a PUT that answers 201 or 200 is ready; one answered 202 (more texts than
 * are embedded while the caller waits) is polled until GET says {@code ready}.
 */
public final class Taxonomies {

    private Taxonomies() {
    }

    /** PUTs {@code body} as {@code name} and waits until it is ready; returns the PUT's answer. */
    public static Response store(String name, Object body) {
        Response put = given().contentType(ContentType.JSON).body(body).when().put("/api/v1/taxonomies/" + name)
                .then().extract().response();
        assertThat(put.statusCode()).as(put.asString()).isIn(200, 201, 202);
        if (put.statusCode() == 202) {
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(given().get("/api/v1/taxonomies/" + name).then().statusCode(200).extract().<String>path("status"))
                            .isEqualTo("ready"));
        }
        return put;
    }
}
