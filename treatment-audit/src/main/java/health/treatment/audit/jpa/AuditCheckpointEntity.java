package health.treatment.audit.jpa;

import health.treatment.audit.Checkpoint;
import health.treatment.audit.internal.Canonical;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Row of {@code audit_checkpoint}. Not API (see {@link AuditEventEntity}). */
@Entity
@Table(name = "audit_checkpoint")
@Cacheable(false)
public class AuditCheckpointEntity {

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "seq", nullable = false)
    private long sequence;

    @Column(name = "kind", length = 16, nullable = false)
    private String kind;

    @Column(name = "head_hash", length = 64, nullable = false)
    private String headHash;

    @Column(name = "created_us", nullable = false)
    private long createdMicros;

    @Column(name = "key_id", length = 16, nullable = false)
    private String keyId;

    @Column(name = "signature", length = 256, nullable = false)
    private String signature;

    protected AuditCheckpointEntity() {}

    static String idOf(Checkpoint c) {
        return c.kind().code() + ":" + c.sequence();
    }

    static AuditCheckpointEntity of(Checkpoint c) {
        AuditCheckpointEntity x = new AuditCheckpointEntity();
        x.id = idOf(c);
        x.sequence = c.sequence();
        x.kind = c.kind().code();
        x.headHash = c.headHash();
        x.createdMicros = Canonical.micros(c.time());
        x.keyId = c.keyId();
        x.signature = c.signature();
        return x;
    }
}
