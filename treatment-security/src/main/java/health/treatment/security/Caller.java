package health.treatment.security;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated client as the rules see it, built by the WAR from the verified token.
 *
 * @param subject token {@code sub} (a client or machine id, never a patient identifier); non-blank
 * @param roles roles from the {@code groups} claim; may be empty
 * @param confirmedCertificateThumbprint the token's {@code cnf} {@code x5t#S256} (RFC 8705), if the token is
 *     certificate-bound
 */
public record Caller(String subject, Set<Role> roles, Optional<String> confirmedCertificateThumbprint) {
    public Caller {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        roles = Set.copyOf(roles);
        Objects.requireNonNull(confirmedCertificateThumbprint, "confirmedCertificateThumbprint");
    }

    public Caller(String subject, Set<Role> roles) {
        this(subject, roles, Optional.empty());
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}
