package health.treatment.web.config;

import health.treatment.core.fhir.FhirOptions;
import health.treatment.core.fhir.FhirR4;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The FHIR R4 mapping with the hospital's identifier systems. The defaults are placeholders of ours: a hospital sets
 * its MRN system, or the EHR matches no patient.
 *
 * <ul>
 *   <li>{@code treatment.fhir.patient-identifier-system} (env {@code TREATMENT_FHIR_PATIENT_IDENTIFIER_SYSTEM}):
 *       {@code Identifier.system} of {@code patient_id};</li>
 *   <li>{@code treatment.fhir.encounter-identifier-system} (env {@code TREATMENT_FHIR_ENCOUNTER_IDENTIFIER_SYSTEM}):
 *       of {@code encounter_id};</li>
 *   <li>{@code treatment.fhir.practitioner-identifier-system}
 *       (env {@code TREATMENT_FHIR_PRACTITIONER_IDENTIFIER_SYSTEM}): of {@code technician_id}.</li>
 * </ul>
 */
@ApplicationScoped
public class FhirProducer {

    @Inject
    @ConfigProperty(
            name = "treatment.fhir.patient-identifier-system",
            defaultValue = FhirOptions.DEFAULT_PATIENT_IDENTIFIER_SYSTEM)
    String patientSystem;

    @Inject
    @ConfigProperty(
            name = "treatment.fhir.encounter-identifier-system",
            defaultValue = FhirOptions.DEFAULT_ENCOUNTER_IDENTIFIER_SYSTEM)
    String encounterSystem;

    @Inject
    @ConfigProperty(
            name = "treatment.fhir.practitioner-identifier-system",
            defaultValue = FhirOptions.DEFAULT_PRACTITIONER_IDENTIFIER_SYSTEM)
    String practitionerSystem;

    @Produces
    @Singleton // the library facade is a final class: no client proxy, one shared instance
    FhirR4 fhir() {
        return FhirR4.create(new FhirOptions(patientSystem, encounterSystem, practitionerSystem));
    }
}
