package health.treatment.web.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** An Idempotency-Key seen from one client; its primary key makes the first writer win across nodes. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyKeyEntity.Key.class)
public class IdempotencyKeyEntity {

    @Id
    @Column(name = "client_id", length = 255, nullable = false, updatable = false)
    private String clientId;

    @Id
    @Column(name = "idempotency_key", length = 128, nullable = false, updatable = false)
    private String idempotencyKey;

    @Column(name = "record_id", length = 36, nullable = false, updatable = false)
    private String recordId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected IdempotencyKeyEntity() {
        // for JPA
    }

    public IdempotencyKeyEntity(String clientId, String idempotencyKey, String recordId, OffsetDateTime createdAt) {
        this.clientId = clientId;
        this.idempotencyKey = idempotencyKey;
        this.recordId = recordId;
        this.createdAt = createdAt;
    }

    public String clientId() {
        return clientId;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public String recordId() {
        return recordId;
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    /** Composite primary key (client, key). */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private String clientId;
        private String idempotencyKey;

        public Key() {
            // for JPA
        }

        public Key(String clientId, String idempotencyKey) {
            this.clientId = clientId;
            this.idempotencyKey = idempotencyKey;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && Objects.equals(clientId, key.clientId)
                    && Objects.equals(idempotencyKey, key.idempotencyKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, idempotencyKey);
        }
    }
}
