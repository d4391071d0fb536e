/**
 * FHIR R4 output of stored treatment records, in JSON-P only (no FHIR library at run time; the helpers are
 * package-private, so the public types call into nothing that calls back): {@link
 * health.treatment.core.fhir.FhirR4} turns {@link health.treatment.core.fhir.StoredRecord}s into {@code collection}
 * or {@code searchset} Bundles of a Procedure, a Device and Observations per record, with the identifier systems of
 * {@link health.treatment.core.fhir.FhirOptions}. The element-by-element mapping is in docs/fhir-mapping.md.
 */
package health.treatment.core.fhir;
