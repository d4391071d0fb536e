package health.treatment.core.fhir;

import java.util.Map;
import java.util.Set;

/** Code systems and the codes of ours that are not machine settings. */
final class Codes {

    static final String SNOMED_CT = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String OBSERVATION_CATEGORY_PROCEDURE = "procedure";
    static final String OBSERVATION_CATEGORY_VITAL_SIGNS = "vital-signs";
    static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    /** SNOMED CT 302497006 |Hemodialysis (procedure)|: a session that reports dialysis settings. */
    static final String HEMODIALYSIS = "302497006";

    static final String HEMODIALYSIS_DISPLAY = "Hemodialysis";

    /** Our code for a session without dialysis settings (e.g. a vital-sign monitor): SNOMED CT cannot say more. */
    static final String DEVICE_SESSION = "device-session";

    static final String DEVICE_SESSION_DISPLAY = "Treatment session reported by a medical device";
    static final String SESSION_DURATION = "session-duration";
    static final String SESSION_DURATION_DISPLAY = "Treatment session duration";
    static final String DEVICE_ALARM = "device-alarm";
    static final String DEVICE_ALARM_DISPLAY = "Device alarm";

    /**
     * The LOINC codes of the R4 vital signs profiles: an Observation with one of these codes is a vital sign (category
     * vital-signs, as https://hl7.org/fhir/R4/observation-vitalsigns.html requires); other readings are category
     * procedure, like the machine settings.
     */
    static final Set<String> VITAL_SIGNS = Set.of(
            "85353-1", "9279-1", "8867-4", "2708-6", "59408-5", "8310-5", "8302-2", "9843-4", "29463-7", "39156-5",
            "85354-9", "8480-6", "8462-4");

    /**
     * HL7's OIDs of the code systems that FHIR names by URL (https://hl7.org/fhir/R4/terminologies-systems.html): a
     * device may send the OID, FHIR wants the URL (validators reject the OID for these systems).
     */
    private static final Map<String, String> FHIR_SYSTEM_OF_OID = Map.of(
            "urn:oid:2.16.840.1.113883.6.1", LOINC,
            "urn:oid:2.16.840.1.113883.6.96", SNOMED_CT,
            "urn:oid:2.16.840.1.113883.6.24", "urn:iso:std:iso:11073:10101",
            "urn:oid:2.16.840.1.113883.6.8", UCUM);

    /** The system a reading's code belongs to, as FHIR names it. */
    static String fhirSystem(String system) {
        return FHIR_SYSTEM_OF_OID.getOrDefault(system, system);
    }

    static String categoryDisplay(String category) {
        return OBSERVATION_CATEGORY_VITAL_SIGNS.equals(category) ? "Vital Signs" : "Procedure";
    }

    private Codes() {}
}
