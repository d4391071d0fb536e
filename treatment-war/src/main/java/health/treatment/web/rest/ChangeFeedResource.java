package health.treatment.web.rest;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;
import health.treatment.core.fhir.FhirR4;
import health.treatment.security.Role;
import health.treatment.store.RecordPage;
import health.treatment.store.TreatmentStore;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.persistence.GuardedStore;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The change feed for the hospital's interface engine: every stored record, once, in commit order, behind a cursor
 * the reader keeps (see {@link TreatmentStore#changes}). Each page is audited.
 */
@Path("/v1/treatments/changes")
// One instance: a request-scoped bean per request cost measurable CPU; the @Context fields are proxies.
@ApplicationScoped
@Tag(name = "Treatments")
public class ChangeFeedResource {

    static final String CHANGES = "treatment.changes";
    static final int DEFAULT_LIMIT = 100;

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

    @GET
    @Produces({MediaType.APPLICATION_JSON, FhirR4.MEDIA_TYPE, Problem.MEDIA_TYPE})
    @RolesAllowed(Role.Names.INTEGRATION)
    @Operation(
            summary = "Follow the change feed of stored records",
            description = "Roles (token `groups` claim): `integration`. Every stored record in feed order, which is "
                    + "commit order on every node: a reader that passes each answer's `next` as `after` never misses "
                    + "a record and never gets one twice, even while records are stored concurrently. At the end of "
                    + "the feed the page is empty and `next` stays the same: poll with it. Records of erased patients "
                    + "are passed over. Each page is audited (PHI: Cache-Control: no-store). With `Accept: "
                    + "application/fhir+json`, a FHIR R4 `collection` Bundle; the next page's URL (the cursor only) is "
                    + "its link of relation `https://treatment.health/fhir/link-relation/next-page` and the `Link` "
                    + "header `rel=\"next\"`.",
            extensions =
                    @Extension(name = "x-roles", value = "[\"" + Role.Names.INTEGRATION + "\"]", parseValue = true))
    @SecurityRequirement(name = TreatmentApplication.BEARER)
    @Parameter(
            name = "after",
            in = ParameterIn.QUERY,
            required = false,
            description = "The next cursor of the previous page; absent: from the first record.",
            schema = @Schema(type = SchemaType.STRING, maxLength = 100))
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            required = false,
            description = "Records per page, 1-1000 (default 100).",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
    @APIResponse(
            responseCode = "200",
            description = "A page of the feed.",
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = OpenApiModel.TREATMENT_PAGE)),
                @Content(mediaType = FhirR4.MEDIA_TYPE, schema = @Schema(ref = OpenApiModel.FHIR_BUNDLE))
            })
    @APIResponse(responseCode = "400", ref = OpenApiModel.BAD_REQUEST)
    public Response changes(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        OptionalInt size = PageSize.parse(limit, DEFAULT_LIMIT, TreatmentStore.MAX_FEED_PAGE);
        if (size.isEmpty()) {
            return reject("invalid_limit", "limit must be an integer from 1 to " + TreatmentStore.MAX_FEED_PAGE + ".");
        }
        int pageSize = size.getAsInt();
        AuditEvent attempt = auditor.attempt(request, CHANGES, TreatmentResource.RESOURCE);
        RecordPage page;
        try {
            page = store.changes(Optional.ofNullable(after), pageSize, attempt);
        } catch (IllegalArgumentException cursor) {
            return reject("invalid_cursor", "after is not the next cursor of a change-feed page.");
        }
        auditor.committed(
                request,
                attempt.completed(
                        null, Outcome.SUCCESS, 200, "results." + page.records().size()));
        if (FhirAnswers.wanted(headers)) {
            return fhir.feedPage(
                    page,
                    page.next()
                            .map(next -> uriInfo.getBaseUriBuilder()
                                    .path(ChangeFeedResource.class)
                                    .queryParam("after", next)
                                    .queryParam("limit", pageSize)
                                    .build()));
        }
        return Response.ok(SearchResource.pageJson(page), MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .build();
    }

    private Response reject(String reason, String message) {
        auditor.recordOutcome(request, CHANGES, TreatmentResource.RESOURCE, 400, reason);
        return ProblemResponses.jaxrs(Problem.of(ProblemKind.BAD_REQUEST, message))
                .build();
    }
}
