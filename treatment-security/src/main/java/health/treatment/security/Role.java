package health.treatment.security;

import java.util.Optional;

/** Roles carried in the JWT {@code groups} claim: the one list of them (DESIGN section 3). */
public enum Role {
    /** A medical device; may submit only for its own machine id. */
    DEVICE(Names.DEVICE),
    /** A clinic gateway; may submit for any machine. */
    GATEWAY(Names.GATEWAY),
    /** May read and search treatment records with identifiers decrypted. */
    CLINICIAN(Names.CLINICIAN),
    /** May read and verify the audit trail. */
    AUDITOR(Names.AUDITOR),
    /** Carries out erasure requests (crypto-shredding of one patient's data). */
    PRIVACY_OFFICER(Names.PRIVACY_OFFICER),
    /** An interface engine: reads the change feed of every stored record (to pass them on to the EHR). */
    INTEGRATION(Names.INTEGRATION);

    /** The claim names as compile-time constants, for {@code @RolesAllowed} and {@code @DeclareRoles}. */
    public static final class Names {
        public static final String DEVICE = "device";
        public static final String GATEWAY = "gateway";
        public static final String CLINICIAN = "clinician";
        public static final String AUDITOR = "auditor";
        public static final String PRIVACY_OFFICER = "privacy-officer";
        public static final String INTEGRATION = "integration";

        private Names() {}
    }

    private final String claimName;

    Role(String claimName) {
        this.claimName = claimName;
    }

    /** Maps a {@code groups} entry to a role; exact, lowercase names only (unknown groups are ignored, not errors). */
    public static Optional<Role> fromClaim(String groupName) {
        if (groupName == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.claimName.equals(groupName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The group name as it appears in the token. */
    public String claimName() {
        return claimName;
    }

    /** The claim name, as in a token, {@code @RolesAllowed} and the audit trail. */
    @Override
    public String toString() {
        return claimName;
    }
}
