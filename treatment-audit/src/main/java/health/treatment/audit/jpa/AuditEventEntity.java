package health.treatment.audit.jpa;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;

/**
 * Row of {@code audit_event} (the sealed chain; pending events are in {@code audit_outbox}). Not API: listed in {@link JpaAuditStore#ENTITY_CLASS_NAMES} so the
 * WAR's persistence unit maps the table (e.g. for its own read-only reporting). The store itself writes and reads it
 * with plain SQL (cheaper append, no cache between the verifier and the database). Not cached.
 */
@Entity
@Table(name = "audit_event")
@Cacheable(false)
public class AuditEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_outbox")
    @SequenceGenerator(name = "audit_outbox", sequenceName = "audit_outbox_seq", allocationSize = 50)
    @Column(name = "outbox_id")
    private Long outboxId;

    @Column(name = "seq")
    private Long sequence;

    @Column(name = "hash", length = 64)
    private String hash;

    @Column(name = "event_time_us", nullable = false)
    private long eventTimeMicros;

    @Column(name = "device_time_us")
    private Long deviceTimeMicros;

    @Column(name = "client_id", length = 128)
    private String clientId;

    @Column(name = "roles", length = 600)
    private String roles;

    @Column(name = "token_id", length = 128)
    private String tokenId;

    @Column(name = "cert_thumbprint", length = 128)
    private String certificateThumbprint;

    @Column(name = "action", length = 64, nullable = false)
    private String action;

    @Column(name = "resource_type", length = 64)
    private String resourceType;

    @Column(name = "record_id", length = 64)
    private String recordId;

    @Column(name = "outcome", length = 32, nullable = false)
    private String outcome;

    @Column(name = "http_status", nullable = false)
    private int httpStatus;

    @Column(name = "reason_code", length = 64)
    private String reasonCode;

    @Column(name = "source_ip", length = 45)
    private String sourceIp;

    @Column(name = "node_id", length = 64, nullable = false)
    private String nodeId;

    @Column(name = "request_id", length = 128)
    private String requestId;

    protected AuditEventEntity() {}

    static List<String> splitRoles(String roles) {
        return roles == null || roles.isEmpty() ? List.of() : Arrays.asList(roles.split(","));
    }
}
