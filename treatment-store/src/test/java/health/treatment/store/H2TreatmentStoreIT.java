package health.treatment.store;

import health.treatment.store.testing.StoreDatabase;

/** The store on embedded H2 in PostgreSQL mode (the single-node default). */
class H2TreatmentStoreIT extends AbstractTreatmentStoreIT {
    @Override
    StoreDatabase openDatabase() {
        return StoreDatabase.h2();
    }
}
