/**
 * Extension point: {@link health.treatment.audit.spi.AuditStore}, the persistence of the trail. Implementations run
 * every call inside the caller's transaction and never begin or commit one.
 */
package health.treatment.audit.spi;
