package dev.catalogclassifier.testsupport;

import static io.restassured.RestAssured.given;

/** Reads one sample from {@code /q/metrics} in the Prometheus text format. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of the first sample whose line starts with {@code prefix}; -1 when there is none. */
    public static double value(String prefix) {
        return given().accept("text/plain").get("/q/metrics").asString().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }
}
