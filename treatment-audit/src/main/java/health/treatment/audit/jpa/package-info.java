/**
 * JPA implementation of the store ({@link health.treatment.audit.jpa.JpaAuditStore}) and its entities. The schema
 * ships as Flyway migrations under {@code db/migration/audit} (V100 to V102, see
 * {@link health.treatment.audit.AuditTrail#MIGRATIONS}), for PostgreSQL and H2 2.x in PostgreSQL mode.
 */
package health.treatment.audit.jpa;
