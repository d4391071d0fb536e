/**
 * Extension point: {@link health.treatment.audit.spi.AuditStore}, the persistence of the trail. Implementations run
 * every call inside the caller's transaction and never begin or commit one; reads the trail makes per page or per
 * verification (checkpoint pages, latest checkpoint, first/last sequence, key registry) must be index reads. Stored
 * data is untrusted input: the trail re-verifies everything it reads.
 */
package health.treatment.audit.spi;
