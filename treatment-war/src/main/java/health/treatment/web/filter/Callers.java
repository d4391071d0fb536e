package health.treatment.web.filter;

import health.treatment.security.Caller;
import health.treatment.security.Role;
import health.treatment.web.config.JsonFactories;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import java.io.StringReader;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Maps the verified token (and the TLS client certificate, if any) to the security jar's caller model. */
public final class Callers {

    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** Matches no certificate's SHA-256 thumbprint, so a token with an unreadable {@code cnf} is never accepted. */
    static final String UNREADABLE_CONFIRMATION = "unreadable-cnf";

    private Callers() {}

    public static Caller from(JsonWebToken token) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (token.getGroups() != null) {
            token.getGroups().forEach(group -> Role.fromClaim(group).ifPresent(roles::add));
        }
        return new Caller(token.getSubject(), roles, confirmedThumbprint(token));
    }

    /**
     * RFC 8705: {@code "cnf": {"x5t#S256": "..."}} binds the token to one client certificate. Runtimes hand the claim
     * over as a JSON-P object, a map or JSON text; a {@code cnf} we cannot read binds the token to no certificate at
     * all (fail closed), never to none.
     */
    private static Optional<String> confirmedThumbprint(JsonWebToken token) {
        if (token.getClaimNames() == null || !token.getClaimNames().contains("cnf")) {
            return Optional.empty();
        }
        Object cnf = token.getClaim("cnf");
        Object thumbprint = null;
        if (cnf instanceof JsonObject object) {
            thumbprint = object.get("x5t#S256");
        } else if (cnf instanceof Map<?, ?> map) {
            thumbprint = map.get("x5t#S256");
        } else if (cnf instanceof String text) {
            try (JsonReader reader = JsonFactories.READERS.createReader(new StringReader(text))) {
                thumbprint = reader.readObject().get("x5t#S256");
            } catch (RuntimeException notJson) {
                thumbprint = null;
            }
        }
        if (thumbprint instanceof JsonString json) {
            thumbprint = json.getString();
        }
        return Optional.of(thumbprint instanceof String s && !s.isBlank() ? s : UNREADABLE_CONFIRMATION);
    }

    public static Optional<byte[]> clientCertificate(HttpServletRequest request) {
        if (request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            try {
                return Optional.of(chain[0].getEncoded());
            } catch (CertificateEncodingException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
