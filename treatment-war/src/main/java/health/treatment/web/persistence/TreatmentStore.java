package health.treatment.web.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/** Finds and saves treatment data in the caller's (JTA) transaction. */
@ApplicationScoped
public class TreatmentStore {

    @PersistenceContext(unitName = "treatment")
    EntityManager entityManager;

    public EntityManager entityManager() {
        return entityManager;
    }

    public Optional<TreatmentRecordEntity> findRecord(String id) {
        return Optional.ofNullable(entityManager.find(TreatmentRecordEntity.class, id));
    }

    public Optional<PatientEntity> findPatient(String patientRef) {
        return Optional.ofNullable(entityManager.find(PatientEntity.class, patientRef));
    }

    public Optional<IdempotencyKeyEntity> findIdempotencyKey(String clientId, String key) {
        return Optional.ofNullable(
                entityManager.find(IdempotencyKeyEntity.class, new IdempotencyKeyEntity.Key(clientId, key)));
    }

    /** Inserts and flushes, so a primary-key clash surfaces here rather than at commit. */
    public void insert(Object entity) {
        entityManager.persist(entity);
        entityManager.flush();
    }
}
