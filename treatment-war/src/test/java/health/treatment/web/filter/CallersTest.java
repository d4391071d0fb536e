package health.treatment.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.security.Caller;
import health.treatment.security.CallerRules;
import health.treatment.security.Role;
import jakarta.json.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class CallersTest {

    private static final String THUMBPRINT = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2";

    /** A token with the given claims; only what Callers reads. */
    private static JsonWebToken token(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return (String) claims.get("sub");
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }

    private static Map<String, Object> claims(Object cnf) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "DX2020");
        claims.put("groups", Set.of("device", "unknown-group"));
        if (cnf != null) {
            claims.put("cnf", cnf);
        }
        return claims;
    }

    @Test
    void rolesComeFromGroupsAndUnknownGroupsAreIgnored() {
        Caller caller = Callers.from(token(claims(null)));
        assertThat(caller.subject()).isEqualTo("DX2020");
        assertThat(caller.roles()).containsExactly(Role.DEVICE);
        assertThat(caller.confirmedCertificateThumbprint()).isEmpty();
    }

    @Test
    void cnfThumbprintIsReadFromJsonObjectMapOrJsonText() {
        for (Object cnf : new Object[] {
            Json.createObjectBuilder().add("x5t#S256", THUMBPRINT).build(),
            Map.of("x5t#S256", THUMBPRINT),
            "{\"x5t#S256\":\"" + THUMBPRINT + "\"}"
        }) {
            assertThat(Callers.from(token(claims(cnf))).confirmedCertificateThumbprint())
                    .hasValue(THUMBPRINT);
        }
    }

    @Test
    void unreadableCnfBindsTheTokenToNoCertificateAtAll() {
        for (Object cnf : new Object[] {"not json", Map.of("x5t", "sha1-is-not-accepted"), 42}) {
            Caller caller = Callers.from(token(claims(cnf)));
            assertThat(caller.confirmedCertificateThumbprint()).hasValue(Callers.UNREADABLE_CONFIRMATION);
            assertThat(CallerRules.certificateBinding(caller, Optional.empty()).allowed())
                    .isFalse();
            assertThat(CallerRules.certificateBinding(caller, Optional.of(new byte[] {1, 2, 3}))
                            .allowed())
                    .isFalse();
        }
    }
}
