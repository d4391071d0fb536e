package health.treatment.web.rest;

import health.treatment.core.fhir.FhirR4;
import health.treatment.core.fhir.StoredRecord;
import health.treatment.store.RecordPage;
import health.treatment.store.StoredTreatment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The FHIR R4 form of a read, a search page and a change-feed page ({@code Accept: application/fhir+json}); the
 * mapping is treatment-core's {@link FhirR4}. The resources audit and authorise exactly as for JSON: only the body
 * differs. The next page's URL carries the opaque cursor only, in the Bundle and in a {@code Link} header.
 */
@ApplicationScoped
public class FhirAnswers {

    static final MediaType FHIR_JSON = MediaType.valueOf(FhirR4.MEDIA_TYPE);

    @Inject
    FhirR4 fhir;

    /**
     * Whether the client asked for FHIR: the most acceptable type that is JSON or FHIR JSON decides, and a wildcard
     * means plain JSON, the default.
     */
    static boolean wanted(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (refused(type)) {
                continue;
            }
            if (type.isWildcardType()
                    || type.isWildcardSubtype()
                    || MediaType.APPLICATION_JSON_TYPE.isCompatible(type)) {
                return false;
            }
            if (FHIR_JSON.isCompatible(type)) {
                return true;
            }
        }
        return false;
    }

    /** {@code q=0} (or 0.0, 0.000) means "not acceptable" (RFC 9110, section 12.4.2). */
    private static boolean refused(MediaType type) {
        String q = type.getParameters().get("q");
        try {
            return q != null && Double.parseDouble(q) == 0;
        } catch (NumberFormatException malformed) {
            return false;
        }
    }

    Response read(StoredTreatment treatment) {
        return ok(fhir.collection(List.of(stored(treatment)), Optional.empty()).toString(), Optional.empty());
    }

    /**
     * A search page as a searchset; {@code total} is known only when this single page is the whole result (no
     * cursor came in, none goes out).
     */
    Response searchPage(RecordPage page, boolean firstPage, Optional<URI> next) {
        OptionalInt total = firstPage && page.next().isEmpty()
                ? OptionalInt.of(page.records().size())
                : OptionalInt.empty();
        return ok(fhir.searchset(stored(page), total, next).toString(), next);
    }

    Response feedPage(RecordPage page, Optional<URI> next) {
        return ok(fhir.collection(stored(page), next).toString(), next);
    }

    private static Response ok(String bundle, Optional<URI> next) {
        Response.ResponseBuilder response =
                Response.ok(bundle, FhirR4.MEDIA_TYPE).header("Cache-Control", "no-store");
        next.ifPresent(url -> response.link(url, "next"));
        return response.build();
    }

    private static List<StoredRecord> stored(RecordPage page) {
        return page.records().stream().map(FhirAnswers::stored).toList();
    }

    private static StoredRecord stored(StoredTreatment treatment) {
        return StoredRecord.fromJson(treatment.id(), treatment.receivedAt(), treatment.canonicalJson());
    }
}
