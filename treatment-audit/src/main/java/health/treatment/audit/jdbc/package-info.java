/**
 * The trail's store on plain JDBC ({@link health.treatment.audit.jdbc.JdbcAuditStore}), on the connection of the
 * caller's transaction. The schema ships as Flyway migrations ({@link health.treatment.audit.AuditTrail#MIGRATIONS},
 * V100 to V102).
 */
package health.treatment.audit.jdbc;
