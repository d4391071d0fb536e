package health.treatment.web.rest;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.core.PatientIdentifier;
import health.treatment.core.fhir.FhirR4;
import health.treatment.security.Role;
import health.treatment.store.RecordPage;
import health.treatment.store.RecordSearch;
import health.treatment.store.StoredTreatment;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.config.JsonFactories;
import health.treatment.web.persistence.GuardedStore;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Clinicians find a patient's (or an encounter's) treatment sessions. The identifier travels in the body, never in a
 * URL (URLs end up in access logs and proxies); the store matches it through its blind index and audits the search
 * with the patient's pseudonym, the count and every returned record id.
 */
@Path("/v1/treatments/search")
// One instance: a request-scoped bean per request cost measurable CPU; the @Context fields are proxies.
@ApplicationScoped
@Tag(name = "Treatments")
public class SearchResource {

    static final String SEARCH = "treatment.search";
    private static final Set<String> MEMBERS =
            Set.of("patient_id", "encounter_id", "from", "to", "machine_id", "limit", "after");

    @Inject
    GuardedStore store;

    @Inject
    RequestAuditor auditor;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @Inject
    FhirAnswers fhir;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, FhirR4.MEDIA_TYPE, Problem.MEDIA_TYPE})
    @RolesAllowed(Role.Names.CLINICIAN)
    @Operation(
            summary = "Search a patient's or an encounter's treatment records",
            description = "Roles (token `groups` claim): `clinician`. The records of one patient (`patient_id`) or "
                    + "one encounter (`encounter_id`), newest `treatment_start` first, optionally within `from`/`to` "
                    + "(inclusive) and for one `machine_id`, `limit` per page (1-100, default 20); pass the answer's "
                    + "`next` as `after` for the next page. Identifiers are PHI: they go in the body, never in the "
                    + "URL, and are never echoed. Every search is audited with the patient's pseudonym, the count "
                    + "and the ids returned (PHI: Cache-Control: no-store). With `Accept: application/fhir+json`, "
                    + "a FHIR R4 `searchset` Bundle (the Procedures match, the rest is included): its `next` link "
                    + "(also a `Link` header) carries only the cursor; POST the same body with `after` set to it.",
            extensions = @Extension(name = "x-roles", value = "[\"" + Role.Names.CLINICIAN + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = OpenApiModel.TREATMENT_SEARCH)))
    @APIResponse(
            responseCode = "200",
            description = "A page of matching records.",
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = OpenApiModel.TREATMENT_PAGE)),
                @Content(mediaType = FhirR4.MEDIA_TYPE, schema = @Schema(ref = OpenApiModel.FHIR_BUNDLE))
            })
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = OpenApiModel.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = OpenApiModel.UNSUPPORTED_MEDIA_TYPE)
    public Response search(InputStream body) throws IOException {
        RecordSearch search;
        try {
            search = parse(body.readAllBytes());
        } catch (InvalidSearch invalid) {
            auditor.recordOutcome(request, SEARCH, TreatmentResource.RESOURCE, 400, "invalid_search");
            return ProblemResponses.jaxrs(Problem.of(ProblemKind.BAD_REQUEST, invalid.getMessage()))
                    .build();
        }
        AuditEvent attempt = auditor.attempt(request, SEARCH, TreatmentResource.RESOURCE);
        RecordPage page;
        try {
            page = store.search(search, attempt);
        } catch (IllegalArgumentException cursor) {
            auditor.recordOutcome(request, SEARCH, TreatmentResource.RESOURCE, 400, "invalid_cursor");
            return ProblemResponses.jaxrs(
                            Problem.of(ProblemKind.BAD_REQUEST, "after is not the next cursor of a search."))
                    .build();
        }
        auditor.committed(
                request,
                attempt.completed(
                        null, Outcome.SUCCESS, 200, "results." + page.records().size()));
        if (FhirAnswers.wanted(headers)) {
            return fhir.searchPage(
                    page,
                    search.after().isEmpty(),
                    page.next()
                            .map(next -> uriInfo.getBaseUriBuilder()
                                    .path(SearchResource.class)
                                    .queryParam("after", next)
                                    .build()));
        }
        return Response.ok(pageJson(page), MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .build();
    }

    /** A page as the API answers it: {@code {"records":[<as a read>...],"next":"..."}}. */
    static String pageJson(RecordPage page) {
        StringBuilder json = new StringBuilder(256 + page.records().size() * 512).append("{\"records\":[");
        List<StoredTreatment> records = page.records();
        for (int i = 0; i < records.size(); i++) {
            json.append(i == 0 ? "" : ",").append(TreatmentResource.storedJson(records.get(i)));
        }
        json.append(']');
        page.next().ifPresent(next -> json.append(",\"next\":").append(JsonFactories.PROVIDER.createValue(next)));
        return json.append('}').toString();
    }

    /** The search a body asks for; fixed messages that never echo a value. */
    static RecordSearch parse(byte[] body) throws InvalidSearch {
        JsonObject object;
        try (JsonReader reader = JsonFactories.READERS.createReader(new ByteArrayInputStream(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidSearch("The body must be a JSON object.");
            }
            object = value.asJsonObject();
        } catch (JsonException | IllegalStateException malformed) {
            throw new InvalidSearch("The body is not well-formed JSON.");
        }
        for (String member : object.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw new InvalidSearch("Unknown member; a search has patient_id or encounter_id, and optionally "
                        + "from, to, machine_id, limit and after.");
            }
        }
        Optional<String> patient = identifier(object, "patient_id");
        Optional<String> encounter = identifier(object, "encounter_id");
        if (patient.isPresent() == encounter.isPresent()) {
            throw new InvalidSearch("Exactly one of patient_id and encounter_id is required.");
        }
        Optional<OffsetDateTime> from = time(object, "from");
        Optional<OffsetDateTime> to = time(object, "to");
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new InvalidSearch("from must not be after to.");
        }
        Optional<String> machine = string(object, "machine_id", 64);
        int limit = RecordSearch.DEFAULT_LIMIT;
        if (object.containsKey("limit")) {
            if (!(object.get("limit") instanceof JsonNumber n)
                    || !n.isIntegral()
                    || n.longValue() < 1
                    || n.longValue() > RecordSearch.MAX_LIMIT) {
                throw new InvalidSearch("limit must be an integer from 1 to " + RecordSearch.MAX_LIMIT + ".");
            }
            limit = n.intValue();
        }
        Optional<String> after = string(object, "after", 100);
        return new RecordSearch(patient, encounter, from, to, machine, limit, after);
    }

    private static Optional<String> identifier(JsonObject object, String member) throws InvalidSearch {
        if (!object.containsKey(member)) {
            return Optional.empty();
        }
        if (!(object.get(member) instanceof JsonString s) || !PatientIdentifier.isValid(s.getString())) {
            throw new InvalidSearch(
                    member + " must be 1 to 64 letters, digits or - . _ : / (as in a treatment " + "record).");
        }
        return Optional.of(s.getString());
    }

    private static Optional<OffsetDateTime> time(JsonObject object, String member) throws InvalidSearch {
        if (!object.containsKey(member)) {
            return Optional.empty();
        }
        try {
            if (object.get(member) instanceof JsonString s) {
                return Optional.of(OffsetDateTime.parse(s.getString()));
            }
        } catch (DateTimeParseException e) {
            // the message below
        }
        throw new InvalidSearch(member + " must be an RFC 3339 date-time with an offset, e.g. 2025-03-28T08:00:00Z.");
    }

    private static Optional<String> string(JsonObject object, String member, int maxLength) throws InvalidSearch {
        if (!object.containsKey(member)) {
            return Optional.empty();
        }
        if (!(object.get(member) instanceof JsonString s)
                || s.getString().isEmpty()
                || s.getString().length() > maxLength) {
            throw new InvalidSearch(member + " must be a string of 1 to " + maxLength + " characters.");
        }
        return Optional.of(s.getString());
    }

    /** A search body that cannot be run; the message is fixed text. */
    static final class InvalidSearch extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSearch(String message) {
            super(message, null, false, false);
        }
    }
}
