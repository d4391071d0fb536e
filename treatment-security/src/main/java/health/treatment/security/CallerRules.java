package health.treatment.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may do what (DESIGN.md section 3), as plain functions so they are testable without an app server. The WAR maps a
 * denied {@link Decision} to 403 (or 401 for certificate binding failures, at its choice) and audits the reason code.
 */
public final class CallerRules {
    private CallerRules() {}

    /**
     * Submitting a treatment record: a {@link Role#GATEWAY} may submit for any machine; a {@link Role#DEVICE} only when
     * {@code machineId} equals its token subject (exact, case-sensitive); anyone else is refused.
     *
     * @return {@code ok}, {@code machine_mismatch} (device for another machine) or {@code role_not_allowed}
     */
    public static Decision maySubmit(Caller caller, String machineId) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(machineId, "machineId");
        if (caller.hasRole(Role.GATEWAY)) {
            return Decision.allow();
        }
        if (caller.hasRole(Role.DEVICE)) {
            return caller.subject().equals(machineId) ? Decision.allow() : Decision.deny(Decision.MACHINE_MISMATCH);
        }
        return Decision.deny(Decision.ROLE_NOT_ALLOWED);
    }

    /** Reading treatment records (identifiers decrypted): {@link Role#CLINICIAN} only. */
    public static Decision mayReadRecords(Caller caller) {
        return requireRole(caller, Role.CLINICIAN);
    }

    /** Reading or verifying the audit trail: {@link Role#AUDITOR} only. */
    public static Decision mayReadAudit(Caller caller) {
        return requireRole(caller, Role.AUDITOR);
    }

    /**
     * Certificate-bound access tokens (RFC 8705 section 3): when the token carries {@code cnf.x5t#S256}, the TLS client
     * certificate must be presented and base64url(SHA-256(DER)) must equal it. The digests are compared in constant time.
     * A token without {@code cnf} is not certificate-bound and is allowed here.
     *
     * @param presentedClientCertificateDer DER encoding of the client certificate from the TLS session, if any
     * @return {@code ok}, {@code certificate_required} (bound token, no certificate) or {@code certificate_mismatch}
     *     (different certificate, or an undecodable thumbprint)
     */
    public static Decision certificateBinding(Caller caller, Optional<byte[]> presentedClientCertificateDer) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(presentedClientCertificateDer, "presentedClientCertificateDer");
        Optional<String> confirmed = caller.confirmedCertificateThumbprint();
        if (confirmed.isEmpty()) {
            return Decision.allow();
        }
        if (presentedClientCertificateDer.isEmpty()) {
            return Decision.deny(Decision.CERTIFICATE_REQUIRED);
        }
        byte[] expected;
        try {
            // Tolerate padding, which RFC 8705 omits but some issuers add.
            expected =
                    Base64.getUrlDecoder().decode(stripPadding(confirmed.get()).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return Decision.deny(Decision.CERTIFICATE_MISMATCH);
        }
        byte[] actual = sha256(presentedClientCertificateDer.get());
        return MessageDigest.isEqual(expected, actual)
                ? Decision.allow()
                : Decision.deny(Decision.CERTIFICATE_MISMATCH);
    }

    /** base64url (no padding) of SHA-256 over the DER certificate: the RFC 8705 {@code x5t#S256} value. */
    public static String thumbprintOf(byte[] certificateDer) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(certificateDer));
    }

    private static Decision requireRole(Caller caller, Role role) {
        Objects.requireNonNull(caller, "caller");
        return caller.hasRole(role) ? Decision.allow() : Decision.deny(Decision.ROLE_NOT_ALLOWED);
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return s.substring(0, end);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new TreatmentSecurityException("SHA-256 unavailable", e);
        }
    }
}
