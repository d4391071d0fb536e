package health.treatment.audit.jpa;

import health.treatment.audit.testing.TestDatabase;

/** The trail on embedded H2 2.x in PostgreSQL mode (the single-node default). */
class H2AuditTrailIT extends AbstractAuditTrailIT {
    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
