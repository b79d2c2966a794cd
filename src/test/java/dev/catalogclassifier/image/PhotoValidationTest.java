package dev.catalogclassifier.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.PhotoServer;
import dev.catalogclassifier.testsupport.TestImages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The photo checks as a caller sees them through {@code POST /api/v1/images/validations}: each default threshold
 * shown with a generated photo that passes and one that fails it, the refusals of unsafe URLs, and ZIP uploads.
 * Photos are served from 127.0.0.1, which the test profile allow-lists.
 */
@QuarkusTest
// the resource every other default-profile class names: with it this class runs in their application, where
// without it Quarkus builds and starts one of its own
@WithTestResource(FakeOpenAiResource.class)
class PhotoValidationTest {

    static PhotoServer photos;

    @BeforeAll
    static void serve() throws IOException {
        photos = new PhotoServer();
    }

    @AfterAll
    static void stop() {
        photos.close();
    }

    @Test
    void eachCheckFailsOnlyThePhotoMadeToFailIt() {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        urls.put("sharp", photos.serve("/sharp.jpg", TestImages.jpeg(TestImages.sharp(800, 600)), "image/jpeg"));
        urls.put("blurred", photos.serve("/blurred.png", TestImages.png(TestImages.blurred(800, 600)), "image/png"));
        urls.put("dark", photos.serve("/dark.jpg", TestImages.jpeg(TestImages.dark(800, 600)), "image/jpeg"));
        urls.put("bright", photos.serve("/bright.jpg", TestImages.jpeg(TestImages.bright(800, 600)), "image/jpeg"));
        urls.put("tiny", photos.serve("/tiny.png", TestImages.png(TestImages.sharp(200, 150)), "image/png"));
        urls.put("banner", photos.serve("/banner.png", TestImages.png(TestImages.sharp(2000, 300)), "image/png"));
        urls.put("corrupt", photos.serve("/corrupt.jpg", TestImages.corrupt(), "image/jpeg"));
        urls.put("bomb", photos.serve("/bomb.png", TestImages.pngBomb(), "image/png"));
        JsonPath report = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("urls", List.copyOf(urls.values())))
                .when().post("/api/v1/images/validations")
                .then().statusCode(200).extract().jsonPath();

        assertThat(report.getList("images.name")).containsExactlyElementsOf(urls.values());
        assertThat(failed(report, 0)).isEmpty();
        assertThat(report.getBoolean("images[0].valid")).isTrue();
        assertThat(failed(report, 1)).containsExactly("blurred");
        assertThat(failed(report, 2)).containsExactly("too_dark");
        assertThat(failed(report, 3)).containsExactly("too_bright");
        assertThat(failed(report, 4)).containsExactly("too_small");
        assertThat(failed(report, 5)).containsExactly("extreme_aspect_ratio");
        assertThat(failed(report, 6)).containsExactly("unreadable");
        assertThat(failed(report, 7)).containsExactly("too_many_pixels");
        // the measured value and the threshold come with each check
        assertThat(report.getDouble("images[4].checks.find { it.code == 'too_small' }.value")).isEqualTo(150.0);
        assertThat(report.getDouble("images[4].checks.find { it.code == 'too_small' }.threshold")).isEqualTo(256.0);
        assertThat(report.getDouble("images[7].checks[0].value")).isEqualTo(1.0e10);
        assertThat(report.getInt("summary.total")).isEqualTo(8);
        assertThat(report.getInt("summary.valid")).isEqualTo(1);
        assertThat(report.getInt("summary.failed_checks.blurred")).isEqualTo(1);
    }

    /** A photo cut short in transfer: the decoder fills the missing part with grey, which must not pass for a photo. */
    @Test
    void aJpegOrPngCutShortIsUnreadableNotValid() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.sharp(800, 600));
        byte[] png = TestImages.png(TestImages.sharp(800, 600));
        byte[] zip = zip(Map.of("whole.jpg", jpeg,
                "tenth.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 10),
                "half.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 2),
                "half.png", java.util.Arrays.copyOf(png, png.length / 2)));
        JsonPath report = given().multiPart("file", "photos.zip", zip, "application/zip")
                .when().post("/api/v1/images/validations").then().statusCode(200).extract().jsonPath();
        assertThat(report.getBoolean("images.find { it.name == 'whole.jpg' }.valid")).as(report.prettify()).isTrue();
        for (String cut : List.of("tenth.jpg", "half.jpg", "half.png")) {
            assertThat(report.getList("images.find { it.name == '" + cut + "' }.checks.findAll { !it.passed }.code"))
                    .as(cut + " in " + report.prettify()).containsExactly("unreadable");
        }
    }

    /** JDK ImageIO has no WebP; the TwelveMonkeys plugin decodes it (a 1x1 lossless WebP: read, then too small). */
    @Test
    void webpPhotosAreDecoded() {
        byte[] webp = java.util.Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
        String url = photos.serve("/tiny.webp", webp, "image/webp");
        JsonPath report = given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("urls", List.of(url)))
                .when().post("/api/v1/images/validations")
                .then().statusCode(200).extract().jsonPath();
        assertThat(failed(report, 0)).contains("too_small").doesNotContain("unreadable");
        assertThat(report.getDouble("images[0].checks.find { it.code == 'too_small' }.value")).isEqualTo(1.0);
    }

    @Test
    void urlsThatCouldReachOurOwnNetworkAreRefusedBeforeAnyFetch() {
        String sharp = photos.serve("/ok.jpg", TestImages.jpeg(TestImages.sharp(400, 300)), "image/jpeg");
        int port = Integer.parseInt(photos.base().substring(photos.base().lastIndexOf(':') + 1));
        List<String> urls = List.of(
                "http://localhost:" + port + "/ok.jpg", // resolves to loopback, and only 127.0.0.1 is allow-listed
                "http://10.0.0.7/photo.jpg",
                "http://169.254.169.254/latest/meta-data/",
                "http://[::1]:" + port + "/ok.jpg",
                "http://100.64.0.1/photo.jpg",
                photos.redirect("/to-loopback", "http://localhost:" + port + "/ok.jpg"),
                "file:///etc/passwd",
                "ftp://example.com/photo.jpg",
                sharp);
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("urls", urls))
                .when().post("/api/v1/images/validations")
                .then().statusCode(200)
                .body("images.checks.code.flatten()", contains("forbidden_address", "forbidden_address",
                        "forbidden_address", "forbidden_address", "forbidden_address", "forbidden_address",
                        "unsupported_scheme", "unsupported_scheme",
                        "too_many_pixels", "too_small", "extreme_aspect_ratio", "too_dark", "too_bright", "blurred"))
                .body("images[8].valid", equalTo(true));
    }

    @Test
    void fetchLimitsRefuseOversizedNonImageAndStalledAnswers() {
        List<String> urls = List.of(
                photos.serve("/huge.jpg", new byte[10 * 1024 * 1024 + 1], "image/jpeg"),
                photos.serve("/page.html", "<html>not a photo</html>".getBytes(), "text/html"),
                photos.hang("/stalled.jpg"),
                photos.base() + "/missing.jpg");
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("urls", urls))
                .when().post("/api/v1/images/validations")
                .then().statusCode(200)
                .body("images.checks.code.flatten()", contains("too_large", "not_an_image", "fetch_timeout", "fetch_failed"))
                .body("summary.invalid", equalTo(4));
    }

    @Test
    void aZipIsCheckedPhotoByPhotoAndHostilePathsAndBombsAreRefused() throws IOException {
        byte[] zip = zip(Map.of(
                "photos/sharp.jpg", TestImages.jpeg(TestImages.sharp(800, 600)),
                "photos/blurred.png", TestImages.png(TestImages.blurred(800, 600)),
                "../../etc/cron.d/evil.jpg", TestImages.jpeg(TestImages.sharp(400, 300)),
                "notes.txt", "hello".getBytes(),
                "bomb.jpg", new byte[11 * 1024 * 1024])); // zeros: compresses to a few kB, unpacks past the limit
        JsonPath report = given().multiPart("file", "photos.zip", zip, "application/zip").accept(ContentType.JSON)
                .when().post("/api/v1/images/validations")
                .then().statusCode(200).extract().jsonPath();
        Map<String, List<String>> failures = new java.util.TreeMap<>();
        for (int i = 0; i < report.getList("images").size(); i++) {
            failures.put(report.getString("images[" + i + "].name"), failed(report, i));
        }
        assertThat(failures).containsExactlyInAnyOrderEntriesOf(Map.of(
                "photos/sharp.jpg", List.of(),
                "photos/blurred.png", List.of("blurred"),
                "../../etc/cron.d/evil.jpg", List.of("unsafe_path"),
                "notes.txt", List.of("not_an_image"),
                "bomb.jpg", List.of("too_large")));
    }

    @Test
    void manyUrlsAreFetchedSixteenAtATime() {
        byte[] photo = TestImages.jpeg(TestImages.sharp(800, 600));
        List<String> urls = IntStream.range(0, 100).mapToObj(i -> photos.serve("/many/" + i + ".jpg", photo, "image/jpeg"))
                .toList();
        photos.latency(java.time.Duration.ofMillis(100));
        try {
            given().contentType(ContentType.JSON).body(Map.of("urls", urls)).accept(ContentType.JSON)
                    .when().post("/api/v1/images/validations")
                    .then().statusCode(200).body("summary.total", equalTo(100)).body("summary.valid", equalTo(100));
        } finally {
            photos.latency(java.time.Duration.ZERO);
        }
        assertThat(photos.mostAtOnce()).as("photos fetched at once").isBetween(2, 16);
    }

    @Test
    void entriesThatAreSkippedStillCountTowardsWhatTheArchiveMayUnpackTo() throws IOException {
        byte[] thirtyMegabytes = new byte[30 * 1024 * 1024]; // zeros: a few kB deflated; the test limit is 50 MB
        for (Map<String, byte[]> files : List.of(Map.of("a.txt", thirtyMegabytes, "b.txt", thirtyMegabytes),
                Map.of("zeros.png", new byte[60 * 1024 * 1024]),
                Map.of("a.txt", thirtyMegabytes, "zeros.png", thirtyMegabytes))) {
            given().multiPart("file", "photos.zip", zip(files), "application/zip")
                    .when().post("/api/v1/images/validations")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("file"))
                    .body("errors[0].message", equalTo("unpacks to more than 52428800 bytes"));
        }
    }

    @Test
    void aTruncatedMultipartBodyIsAClear400() {
        String truncated = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photos.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\nPK\u0003\u0004 and the upload stops here";
        io.restassured.response.Response answer = given().contentType("multipart/form-data; boundary=XyZ")
                .body(truncated.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .when().post("/api/v1/images/validations");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aZipSignatureFollowedByGarbageIsAClear400() {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = 'P';
        garbage[1] = 'K';
        garbage[2] = 3;
        garbage[3] = 4;
        given().multiPart("file", "photos.zip", garbage, "application/zip")
                .when().post("/api/v1/images/validations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", equalTo("is not a readable ZIP archive"));
    }

    @Test
    void hiddenFilesAndMacResourceForksAreInTheReportAndItsTotal() throws IOException {
        byte[] photo = TestImages.jpeg(TestImages.sharp(800, 600));
        byte[] zip = zip(Map.of("chair.jpg", photo, ".hidden.png", photo, "__MACOSX/._chair.jpg", photo));
        given().multiPart("file", "photos.zip", zip, "application/zip")
                .when().post("/api/v1/images/validations")
                .then().statusCode(200)
                .body("summary.total", equalTo(3))
                .body("images.find { it.name == '.hidden.png' }.checks[0].code", equalTo("hidden_file"))
                .body("images.find { it.name == '__MACOSX/._chair.jpg' }.valid", equalTo(false))
                .body("images.find { it.name == 'chair.jpg' }.valid", equalTo(true));
    }

    @Test
    void theReportComesAsCsvWhenAskedFor() throws IOException {
        byte[] zip = zip(Map.of("a,b.jpg", TestImages.jpeg(TestImages.sharp(800, 600)),
                "=cmd.jpg", TestImages.jpeg(TestImages.sharp(800, 600))));
        String csv = given().multiPart("file", "photos.zip", zip, "application/zip").accept("text/csv")
                .when().post("/api/v1/images/validations")
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv).startsWith("\uFEFFname,valid,check,value,threshold,passed\r\n");
        assertThat(csv).contains("\"a,b.jpg\",true,blurred,").contains("\"a,b.jpg\",true,too_small,600,256,true\r\n")
                .as("numbers as people write them, not 4.8E5 or 480000.0")
                .contains("\"a,b.jpg\",true,too_many_pixels,480000,50000000,true\r\n");
        // a name a spreadsheet would run as a formula opens as text
        assertThat(csv).contains("\r\n'=cmd.jpg,true,too_small,").doesNotContain("\r\n=cmd.jpg");
    }

    @Test
    void anUploadThatIsNotAZipIsAClear400() {
        given().multiPart("file", "photos.zip", "not a zip at all".getBytes(), "application/zip")
                .when().post("/api/v1/images/validations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file"))
                .body("errors[0].message", equalTo("is not a ZIP archive"));
        given().contentType(ContentType.JSON).body("{\"urls\": []}")
                .when().post("/api/v1/images/validations")
                .then().statusCode(400).body("errors[0].field", equalTo("urls"))
                .body("detail", containsString("invalid"));
    }

    private static List<String> failed(JsonPath report, int image) {
        return report.getList("images[" + image + "].checks.findAll { !it.passed }.code");
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
