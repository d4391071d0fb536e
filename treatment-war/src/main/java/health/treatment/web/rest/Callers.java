package health.treatment.web.rest;

import health.treatment.security.Caller;
import health.treatment.security.Role;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Maps the verified token (and the TLS client certificate, if any) to the security jar's caller model. */
final class Callers {

    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private Callers() {
    }

    static Caller from(JsonWebToken token) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (token.getGroups() != null) {
            token.getGroups().forEach(group -> Role.fromClaim(group).ifPresent(roles::add));
        }
        return new Caller(token.getSubject(), roles, confirmedThumbprint(token));
    }

    /** RFC 8705: {@code "cnf": {"x5t#S256": "..."}} binds the token to one client certificate. */
    private static Optional<String> confirmedThumbprint(JsonWebToken token) {
        Object cnf = token.getClaim("cnf");
        if (cnf instanceof JsonObject object && object.get("x5t#S256") instanceof JsonString thumbprint) {
            return Optional.of(thumbprint.getString());
        }
        return Optional.empty();
    }

    static Optional<byte[]> clientCertificate(HttpServletRequest request) {
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
