package health.treatment.core.fhir;

import health.treatment.core.TreatmentCoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * The hospital-specific part of the FHIR mapping: the identifier systems under which the EHR knows its patients,
 * encounters and staff. Immutable. The defaults are URIs of ours, placeholders that a hospital replaces with its own
 * (its MRN system for patients): an EHR matches a patient by system and value, so a wrong system finds nobody.
 *
 * @param patientIdentifierSystem {@code Identifier.system} of {@code patient_id} (the subject reference)
 * @param encounterIdentifierSystem {@code Identifier.system} of {@code encounter_id} (the encounter reference)
 * @param practitionerIdentifierSystem {@code Identifier.system} of {@code technician_id} (the performer reference)
 */
public record FhirOptions(
        String patientIdentifierSystem, String encounterIdentifierSystem, String practitionerIdentifierSystem) {

    /** Placeholder patient identifier system; hospitals set their MRN system instead. */
    public static final String DEFAULT_PATIENT_IDENTIFIER_SYSTEM = "https://treatment.health/fhir/sid/patient-id";

    /** Placeholder encounter identifier system; hospitals set their visit-number system instead. */
    public static final String DEFAULT_ENCOUNTER_IDENTIFIER_SYSTEM = "https://treatment.health/fhir/sid/encounter-id";

    /** Placeholder technician identifier system; hospitals set their staff-number system instead. */
    public static final String DEFAULT_PRACTITIONER_IDENTIFIER_SYSTEM =
            "https://treatment.health/fhir/sid/technician-id";

    private static final FhirOptions DEFAULTS = new FhirOptions(
            DEFAULT_PATIENT_IDENTIFIER_SYSTEM,
            DEFAULT_ENCOUNTER_IDENTIFIER_SYSTEM,
            DEFAULT_PRACTITIONER_IDENTIFIER_SYSTEM);

    /** @throws TreatmentCoreException when a system is not an absolute URI (FHIR {@code Identifier.system} is one) */
    public FhirOptions {
        checkSystem(patientIdentifierSystem, "patientIdentifierSystem");
        checkSystem(encounterIdentifierSystem, "encounterIdentifierSystem");
        checkSystem(practitionerIdentifierSystem, "practitionerIdentifierSystem");
    }

    /** The placeholder systems of ours. */
    public static FhirOptions defaults() {
        return DEFAULTS;
    }

    public FhirOptions withPatientIdentifierSystem(String system) {
        return new FhirOptions(system, encounterIdentifierSystem, practitionerIdentifierSystem);
    }

    public FhirOptions withEncounterIdentifierSystem(String system) {
        return new FhirOptions(patientIdentifierSystem, system, practitionerIdentifierSystem);
    }

    public FhirOptions withPractitionerIdentifierSystem(String system) {
        return new FhirOptions(patientIdentifierSystem, encounterIdentifierSystem, system);
    }

    private static void checkSystem(String system, String what) {
        Objects.requireNonNull(system, what);
        boolean absolute;
        try {
            // urn:oid:1.2.3 and https://... are both absolute URIs; whitespace or a relative path is not a system.
            absolute = !system.isBlank() && system.strip().equals(system) && new URI(system).isAbsolute();
        } catch (URISyntaxException e) {
            absolute = false;
        }
        if (!absolute) {
            throw new TreatmentCoreException(what + " must be an absolute URI, e.g. urn:oid:... or https://...");
        }
    }
}
