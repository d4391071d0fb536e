package health.treatment.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CallerRulesTest {
    private static final byte[] CERT = "fake DER certificate bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_CERT = "another certificate".getBytes(StandardCharsets.US_ASCII);

    /** Role × action table; the device submits for its own machine here (mismatch is tested separately). */
    @ParameterizedTest(name = "{0}: submit={1} readRecords={2} readAudit={3}")
    @CsvSource({
        "DEVICE,    true,  false, false",
        "GATEWAY,   true,  false, false",
        "CLINICIAN, false, true,  false",
        "AUDITOR,   false, false, true",
    })
    void eachRoleMayDoExactlyItsActions(Role role, boolean submit, boolean readRecords, boolean readAudit) {
        Caller caller = new Caller("DX2020", Set.of(role));
        assertThat(CallerRules.maySubmit(caller, "DX2020")).isEqualTo(expected(submit));
        assertThat(CallerRules.mayReadRecords(caller)).isEqualTo(expected(readRecords));
        assertThat(CallerRules.mayReadAudit(caller)).isEqualTo(expected(readAudit));
    }

    @Test
    void callerWithoutRolesMayDoNothing() {
        Caller caller = new Caller("someone", Set.of());
        assertThat(CallerRules.maySubmit(caller, "someone")).isEqualTo(Decision.deny("role_not_allowed"));
        assertThat(CallerRules.mayReadRecords(caller)).isEqualTo(Decision.deny("role_not_allowed"));
        assertThat(CallerRules.mayReadAudit(caller)).isEqualTo(Decision.deny("role_not_allowed"));
    }

    static Stream<Arguments> submissions() {
        return Stream.of(
                Arguments.of(EnumSet.of(Role.DEVICE), "DX2020", "DX2020", Decision.allow()),
                Arguments.of(EnumSet.of(Role.DEVICE), "DX2020", "DX2021", Decision.deny("machine_mismatch")),
                Arguments.of(EnumSet.of(Role.DEVICE), "DX2020", "dx2020", Decision.deny("machine_mismatch")),
                Arguments.of(EnumSet.of(Role.GATEWAY), "gw-1", "DX2021", Decision.allow()),
                Arguments.of(EnumSet.of(Role.DEVICE, Role.GATEWAY), "gw-1", "DX2021", Decision.allow()),
                Arguments.of(
                        EnumSet.of(Role.CLINICIAN, Role.AUDITOR),
                        "DX2020",
                        "DX2020",
                        Decision.deny("role_not_allowed")));
    }

    @ParameterizedTest(name = "{0} sub={1} machine={2} -> {3}")
    @MethodSource("submissions")
    void submissionRulesFollowMachineBinding(Set<Role> roles, String subject, String machineId, Decision expected) {
        assertThat(CallerRules.maySubmit(new Caller(subject, roles), machineId)).isEqualTo(expected);
    }

    @Test
    void certificateBoundTokenRequiresTheMatchingCertificate() {
        String thumbprint = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(CERT));
        Caller bound = new Caller("DX2020", Set.of(Role.DEVICE), Optional.of(thumbprint));
        assertThat(CallerRules.thumbprintOf(CERT)).isEqualTo(thumbprint);
        assertThat(CallerRules.certificateBinding(bound, Optional.of(CERT))).isEqualTo(Decision.allow());
        assertThat(CallerRules.certificateBinding(bound, Optional.of(OTHER_CERT)))
                .isEqualTo(Decision.deny("certificate_mismatch"));
        assertThat(CallerRules.certificateBinding(bound, Optional.empty()))
                .isEqualTo(Decision.deny("certificate_required"));
        Caller padded = new Caller("DX2020", Set.of(Role.DEVICE), Optional.of(thumbprint + "="));
        assertThat(CallerRules.certificateBinding(padded, Optional.of(CERT))).isEqualTo(Decision.allow());
        Caller garbage = new Caller("DX2020", Set.of(Role.DEVICE), Optional.of("not base64!"));
        assertThat(CallerRules.certificateBinding(garbage, Optional.of(CERT)))
                .isEqualTo(Decision.deny("certificate_mismatch"));
    }

    @Test
    void tokenWithoutConfirmationClaimIsNotCertificateBound() {
        Caller unbound = new Caller("DX2020", Set.of(Role.DEVICE));
        assertThat(CallerRules.certificateBinding(unbound, Optional.empty())).isEqualTo(Decision.allow());
        assertThat(CallerRules.certificateBinding(unbound, Optional.of(CERT))).isEqualTo(Decision.allow());
    }

    @ParameterizedTest
    @CsvSource({"device,DEVICE", "gateway,GATEWAY", "clinician,CLINICIAN", "auditor,AUDITOR"})
    void rolesMapToAndFromTheGroupsClaim(String claim, Role role) {
        assertThat(Role.fromClaim(claim)).contains(role);
        assertThat(role.claimName()).isEqualTo(claim);
    }

    @Test
    void aRolePrintsAsItsClaimName() {
        for (Role role : Role.values()) {
            assertThat(role).hasToString(role.claimName());
        }
        assertThat(Role.PRIVACY_OFFICER).hasToString("privacy-officer");
    }

    @Test
    void unknownOrDifferentlyCasedGroupsAreNotRoles() {
        assertThat(Role.fromClaim("Device")).isEmpty();
        assertThat(Role.fromClaim("admin")).isEmpty();
        assertThat(Role.fromClaim(null)).isEmpty();
    }

    @Test
    void decisionKeepsReasonCodesConsistent() {
        assertThat(Decision.allow().reasonCode()).isEqualTo("ok");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Decision(true, "role_not_allowed"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Decision(false, "Bad Code"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Decision expected(boolean allowed) {
        return allowed ? Decision.allow() : Decision.deny("role_not_allowed");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
