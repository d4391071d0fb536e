package health.treatment.web.rest;

/** The roles, taken from the token's {@code groups} claim (DESIGN section 3). */
public final class Roles {
    public static final String DEVICE = "device";
    public static final String GATEWAY = "gateway";
    public static final String CLINICIAN = "clinician";
    public static final String AUDITOR = "auditor";
    /** Carries out erasure requests (crypto-shredding of one patient's data). */
    public static final String PRIVACY_OFFICER = "privacy-officer";
    /** An interface engine: reads the change feed of every stored record (to pass them on to the EHR). */
    public static final String INTEGRATION = "integration";

    private Roles() {
    }
}
