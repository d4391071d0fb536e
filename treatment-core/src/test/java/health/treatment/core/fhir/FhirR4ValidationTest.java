package health.treatment.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Bundle and every resource the mapping writes validates against the FHIR R4 base profiles with HAPI's
 * validator: no ERROR or FATAL message; warnings are printed, not failed (most say that SNOMED CT, LOINC or our
 * local code system cannot be checked offline).
 */
class FhirR4ValidationTest {

    private static final FhirR4 FHIR =
            FhirR4.create(FhirOptions.defaults().withPatientIdentifierSystem("urn:oid:1.2.276.0.76.4.8"));

    /** Warming HAPI's validator takes seconds: one for the class. */
    private static FhirValidator validator;

    @BeforeAll
    static void createValidator() {
        FhirContext context = FhirContext.forR4();
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context),
                new SnapshotGeneratingValidationSupport(context));
        validator = context.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }

    static Stream<Arguments> bundles() {
        StoredRecord article =
                FhirDocuments.stored("6f1d0c52-3c1e-4a44-9d7a-0d6c3f2b9e11", FhirDocuments.ARTICLE_EXAMPLE);
        StoredRecord full = FhirDocuments.stored("0b8e5a34-7d2f-4c8e-a1b6-3e9f4d2c7a58", FhirDocuments.FULL);
        StoredRecord encounterOnly =
                FhirDocuments.stored("c3a9e1f0-5b7d-4e2a-8c6f-1d0b9a8e7f65", FhirDocuments.ENCOUNTER_ONLY);
        StoredRecord durationOnly =
                FhirDocuments.stored("a7d4c2b1-9e8f-4a3b-b5c6-2f1e0d9c8b7a", FhirDocuments.DURATION_ONLY);
        URI next = URI.create("https://treatment.example/api/v1/treatments/changes?after=opaque-cursor&limit=2");
        return Stream.of(
                Arguments.of("article example, read", FHIR.collection(List.of(article), Optional.empty())),
                Arguments.of("every field, read", FHIR.collection(List.of(full), Optional.empty())),
                Arguments.of("encounter only, read", FHIR.collection(List.of(encounterOnly), Optional.empty())),
                Arguments.of("duration only, read", FHIR.collection(List.of(durationOnly), Optional.empty())),
                Arguments.of("feed page", FHIR.collection(List.of(article, full, encounterOnly), Optional.of(next))),
                Arguments.of("empty feed page", FHIR.collection(List.of(), Optional.of(next))),
                Arguments.of(
                        "search page",
                        FHIR.searchset(
                                List.of(full, article, durationOnly),
                                OptionalInt.empty(),
                                Optional.of(URI.create(
                                        "https://treatment.example/api/v1/treatments/search?after=opaque")))),
                Arguments.of("last search page", FHIR.searchset(List.of(article), OptionalInt.of(1), Optional.empty())),
                Arguments.of("empty search", FHIR.searchset(List.of(), OptionalInt.of(0), Optional.empty())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void theBundleValidates(String name, JsonObject bundle) {
        assertNoErrors(name, bundle);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void everyResourceOfTheBundleValidatesOnItsOwn(String name, JsonObject bundle) {
        List<JsonValue> entries = bundle.containsKey("entry") ? bundle.getJsonArray("entry") : List.of();
        for (JsonValue entry : entries) {
            JsonObject resource = entry.asJsonObject().getJsonObject("resource");
            assertNoErrors(name + ": " + resource.getString("resourceType") + "/" + resource.getString("id"), resource);
        }
    }

    private static void assertNoErrors(String name, JsonObject json) {
        ValidationResult result = validator.validateWithResult(json.toString());
        List<String> errors = new ArrayList<>();
        for (SingleValidationMessage message : result.getMessages()) {
            String line = message.getSeverity() + " " + message.getLocationString() + ": " + message.getMessage();
            if (message.getSeverity() == ResultSeverityEnum.ERROR
                    || message.getSeverity() == ResultSeverityEnum.FATAL) {
                errors.add(line);
            } else if (message.getSeverity() == ResultSeverityEnum.WARNING) {
                System.out.println("[" + name + "] " + line);
            }
        }
        assertThat(errors).as("validation errors of %s:%n%s", name, json).isEmpty();
    }
}
