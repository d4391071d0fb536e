package health.treatment.audit.jpa;

import health.treatment.audit.testing.TestDatabase;

/** The trail on PostgreSQL (127.0.0.1:5432, own schema per test). Fails when PostgreSQL is down. */
class PostgresAuditTrailIT extends AbstractAuditTrailIT {
    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
