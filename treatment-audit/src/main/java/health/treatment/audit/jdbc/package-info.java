/**
 * The trail's store on plain JDBC ({@link health.treatment.audit.jdbc.JdbcAuditStore}), on the connection of the
 * caller's transaction. The schema ships as Flyway migrations ({@link health.treatment.audit.AuditTrail#MIGRATIONS}).
 */
package health.treatment.audit.jdbc;
