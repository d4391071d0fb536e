package health.treatment.web.it.security;

import health.treatment.web.it.Https;
import health.treatment.web.it.Https.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * HTTPS to the test server for the security regression suite: the JDK client for ordinary requests and a raw TLS
 * socket for what the JDK client refuses to send (unknown methods, malformed targets). Trusts the server's
 * self-signed development certificate: tests only.
 */
final class SecurityClient {

    static final String HOST = "localhost";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(Https.trustAll())
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private SecurityClient() {}

    static int port() {
        return Integer.parseInt(System.getProperty("it.https.port", "9543"));
    }

    static URI uri(String path) {
        return URI.create("https://" + HOST + ":" + port() + path);
    }

    static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    static HttpResponse<String> postJson(String path, String token, String json) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** Sends {@code method target} over TLS as typed (optionally with a bearer token) and parses the answer. */
    static RawResponse raw(String method, String target, String token) throws IOException {
        String text = "%s %s HTTP/1.1\r\nHost: localhost\r\n%sConnection: close\r\n\r\n"
                .formatted(method, target, token == null ? "" : "Authorization: Bearer " + token + "\r\n");
        return Https.parseResponse(rawText(text));
    }

    static String rawText(String requestText) throws IOException {
        try (SSLSocket s = (SSLSocket) Https.trustAll().getSocketFactory().createSocket(HOST, port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(requestText.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
