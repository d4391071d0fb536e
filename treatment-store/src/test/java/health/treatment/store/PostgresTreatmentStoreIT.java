package health.treatment.store;

import health.treatment.store.testing.StoreDatabase;

/** The store on PostgreSQL at 127.0.0.1:5432 (fails, never skips, when it is down). */
class PostgresTreatmentStoreIT extends AbstractTreatmentStoreIT {
    @Override
    StoreDatabase openDatabase() {
        return StoreDatabase.postgres();
    }
}
