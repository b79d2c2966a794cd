package dev.catalogclassifier.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fetches a product photo from a caller's URL without letting the URL reach our own network: http and https
 * only; the host's addresses are checked after DNS resolution and again for every redirect, which is followed
 * by hand; the size, the time and the content type are limited. Blocking: call it on a virtual thread.
 * <p>
 * Left open: the JDK client resolves the name again when it connects, so a DNS server answering differently
 * within milliseconds (rebinding) could still slip an internal address past the check. Closing that needs
 * connecting to the checked address itself, which the JDK client does not offer for https.
 */
@ApplicationScoped
public class ImageFetcher {

    /** A fetched photo: its bytes and the content type the server declared. */
    public record Fetched(byte[] bytes, String contentType) {
    }

    private final ImageConfig config;
    private final AddressPolicy policy;
    private final HttpClient http;

    public ImageFetcher(ImageConfig config) {
        this.config = config;
        this.policy = new AddressPolicy(config.allowedInternalHosts().orElse(List.of()));
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.fetchTimeout()).build();
    }

    public Fetched fetch(String url) throws ImageRejected {
        long deadline = System.nanoTime() + config.fetchTimeout().toNanos();
        URI uri = parse(url);
        for (int redirects = 0; ; redirects++) {
            policy.check(uri.getHost());
            HttpResponse<InputStream> response = send(uri, deadline);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                close(response);
                if (redirects >= config.maxRedirects()) {
                    throw new ImageRejected("too_many_redirects", "the photo's URL redirects more than "
                            + config.maxRedirects() + " times");
                }
                uri = parse(uri.resolve(response.headers().firstValue("Location").get()).toString());
                continue;
            }
            return body(response, deadline);
        }
    }

    private static URI parse(String url) throws ImageRejected {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new ImageRejected("invalid_url", "the photo's URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ImageRejected("unsupported_scheme", "only http and https photo URLs are fetched");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new ImageRejected("invalid_url", "the photo's URL needs a host and no user name or password");
        }
        return uri;
    }

    private HttpResponse<InputStream> send(URI uri, long deadline) throws ImageRejected {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(remaining(deadline))
                .header("Accept", "image/*").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException e) {
            throw timeout();
        } catch (IOException e) {
            throw new ImageRejected("fetch_failed", "the photo could not be fetched (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageRejected("fetch_failed", "the photo's fetch was interrupted");
        }
    }

    private Fetched body(HttpResponse<InputStream> response, long deadline) throws ImageRejected {
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new ImageRejected("fetch_failed", "the photo's server answered HTTP " + response.statusCode());
            }
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("image/")) {
                throw new ImageRejected("not_an_image", "the photo's server sent " + (type.isEmpty() ? "no content type" : type)
                        + ", not an image");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > config.maxBytes()) {
                throw tooLarge();
            }
            return new Fetched(read(in, deadline), type);
        } catch (IOException e) {
            throw new ImageRejected("fetch_failed", "the photo's download broke off");
        }
    }

    /** Reads at most maxBytes within the deadline: a server that trickles bytes is cut off, not waited for. */
    private byte[] read(InputStream in, long deadline) throws ImageRejected {
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBytes() + 1));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
        try {
            byte[] bytes = reading.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
            if (bytes.length > config.maxBytes()) {
                throw tooLarge();
            }
            return bytes;
        } catch (TimeoutException e) {
            close(in);
            throw timeout();
        } catch (ExecutionException e) {
            throw new ImageRejected("fetch_failed", "the photo's download broke off");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageRejected("fetch_failed", "the photo's fetch was interrupted");
        }
    }

    private ImageRejected tooLarge() {
        return new ImageRejected("too_large", "the photo is larger than " + config.maxBytes() + " bytes");
    }

    private ImageRejected timeout() {
        return new ImageRejected("fetch_timeout", "the photo took longer than " + config.fetchTimeout().toMillis()
                + " ms to fetch");
    }

    private static Duration remaining(long deadline) throws ImageRejected {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new ImageRejected("fetch_timeout", "the photo took too long to fetch");
        }
        return Duration.ofNanos(nanos);
    }

    private static void close(HttpResponse<InputStream> response) {
        close(response.body());
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is being dropped anyway
        }
    }
}
