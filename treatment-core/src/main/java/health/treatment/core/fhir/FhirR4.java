package health.treatment.core.fhir;

import health.treatment.core.TreatmentCoreException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Stored treatment records as FHIR R4 Bundles (JSON), for an EHR or an interface engine. Per record: a
 * {@code Procedure} for the session, a {@code Device} for the machine, and {@code Observation}s for the machine
 * settings, the session duration, the coded readings and the alarms, all {@code partOf} the Procedure; see
 * docs/fhir-mapping.md for every element.
 *
 * <p>Every resource has a deterministic {@code id} (a name-based UUID of our record id and its role in the record;
 * the Device's of the machine id) and an {@code identifier} in a system of ours, so that a receiver that gets a record
 * twice deduplicates with a conditional create ({@code ifNoneExist=identifier=<system>|<value>}). Entries are
 * {@code urn:uuid:<id>} and reference each other that way. Patients, encounters and technicians are referenced by
 * identifier only, under the systems of {@link FhirOptions}. Links hold what the caller passes (a cursor URL): the
 * mapping never puts an identifier into a URL.
 *
 * <p>Immutable and thread-safe: create once and share.
 */
public final class FhirR4 {

    /** The media type of FHIR JSON (all versions; this class writes R4, FHIR version 4.0.1). */
    public static final String MEDIA_TYPE = "application/fhir+json";

    /** Our local code system of treatment settings and session codes (listed in docs/fhir-mapping.md). */
    public static final String SETTING_CODE_SYSTEM = "https://treatment.health/fhir/CodeSystem/treatment-setting";

    /** Identifier system of every Procedure and Observation we write: the value is the resource's UUID. */
    public static final String RESOURCE_IDENTIFIER_SYSTEM = "https://treatment.health/fhir/sid/resource-id";

    /** Identifier system of our record ids (on the Procedure): the id a read of the treatment API takes. */
    public static final String RECORD_IDENTIFIER_SYSTEM = "https://treatment.health/fhir/sid/record-id";

    /** Identifier system of the devices' {@code machine_id}s (on the Device). */
    public static final String MACHINE_IDENTIFIER_SYSTEM = "https://treatment.health/fhir/sid/machine-id";

    /**
     * {@code Bundle.link.relation} of the next page of a {@code collection} (the change feed's cursor): R4 prohibits
     * {@code next} outside searchset and history Bundles. The server also sends it as an HTTP {@code Link} header.
     */
    public static final String NEXT_PAGE_RELATION = "https://treatment.health/fhir/link-relation/next-page";

    private static final JsonBuilderFactory JSON = JsonProvider.provider().createBuilderFactory(Map.of());

    private final FhirOptions options;
    private final RecordResources resources;

    private FhirR4(FhirOptions options) {
        this.options = options;
        this.resources = new RecordResources(options);
    }

    public static FhirR4 create(FhirOptions options) {
        return new FhirR4(Objects.requireNonNull(options, "options"));
    }

    /**
     * A {@code collection} Bundle of the records' resources (a read, a page of the change feed), with the URL of the
     * next page as a link of relation {@link #NEXT_PAGE_RELATION} when given. A machine's Device appears once however many
     * records name it.
     */
    public JsonObject collection(List<StoredRecord> records, Optional<URI> next) {
        return bundle("collection", records, OptionalInt.empty(), next);
    }

    /**
     * A {@code searchset} Bundle: the Procedures are the matches ({@code search.mode} match), the other resources are
     * included ({@code search.mode} include), the next page is the {@code next} link. {@code total} counts matched
     * records and is given only where known.
     *
     * @throws TreatmentCoreException when {@code total} is negative or smaller than the records on this page
     */
    public JsonObject searchset(List<StoredRecord> records, OptionalInt total, Optional<URI> next) {
        if (total.isPresent() && total.getAsInt() < records.size()) {
            throw new TreatmentCoreException("total must count at least the records of the page");
        }
        return bundle("searchset", records, total, next);
    }

    public FhirOptions options() {
        return options;
    }

    private JsonObject bundle(String type, List<StoredRecord> records, OptionalInt total, Optional<URI> next) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(next, "next");
        boolean search = "searchset".equals(type);
        JsonObjectBuilder bundle =
                JSON.createObjectBuilder().add("resourceType", "Bundle").add("type", type);
        total.ifPresent(t -> bundle.add("total", t));
        next.ifPresent(url -> {
            if (!url.isAbsolute()) {
                throw new TreatmentCoreException("the next link must be an absolute URL");
            }
            // R4 allows the paging relations (first/previous/next/last) in searchset and history Bundles only; a
            // collection names its next page with a relation type of ours (RFC 8288 extension relation types are URIs).
            bundle.add(
                    "link",
                    JSON.createArrayBuilder()
                            .add(JSON.createObjectBuilder()
                                    .add("relation", search ? "next" : NEXT_PAGE_RELATION)
                                    .add("url", url.toString())));
        });
        JsonArrayBuilder entries = JSON.createArrayBuilder();
        Set<String> written = new HashSet<>(); // fullUrls are unique in a Bundle (bdl-7): one Device per machine
        for (StoredRecord record : records) {
            for (RecordResources.Entry entry : resources.map(record)) {
                if (!written.add(entry.fullUrl())) {
                    continue;
                }
                JsonObjectBuilder e = JSON.createObjectBuilder()
                        .add("fullUrl", entry.fullUrl())
                        .add("resource", entry.resource());
                if (search) {
                    e.add("search", JSON.createObjectBuilder().add("mode", entry.match() ? "match" : "include"));
                }
                entries.add(e);
            }
        }
        // FHIR JSON has no empty arrays: an empty page is a Bundle without entry.
        return written.isEmpty() ? bundle.build() : bundle.add("entry", entries).build();
    }

    @Override
    public String toString() {
        return "FhirR4[" + options + "]";
    }
}
