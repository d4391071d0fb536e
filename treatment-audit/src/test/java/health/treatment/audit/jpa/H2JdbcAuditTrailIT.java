package health.treatment.audit.jpa;

import health.treatment.audit.jdbc.JdbcAuditStore;
import health.treatment.audit.spi.AuditStore;
import health.treatment.audit.testing.TestDatabase;
import java.sql.Connection;

/** The whole trail suite on the plain JDBC store (embedded H2), on the connection of the test's transaction. */
class H2JdbcAuditTrailIT extends AbstractAuditTrailIT {
    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }

    @Override
    AuditStore newStore(TestDatabase database) {
        return new JdbcAuditStore(() -> database.currentEntityManager().unwrap(Connection.class));
    }
}
