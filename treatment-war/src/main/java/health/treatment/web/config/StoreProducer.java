package health.treatment.web.config;

import health.treatment.audit.AuditConfig;
import health.treatment.security.PhiProtection;
import health.treatment.store.StoreConfig;
import health.treatment.store.TreatmentStore;
import health.treatment.web.persistence.DatabaseMigrations;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens the treatment store on the server's datasource ({@code jdbc/treatment}), after the schema migrations.
 *
 * <ul>
 *   <li>{@code treatment.store.writer-threads} (default 2): threads committing groups of writes, each holding one
 *       pooled connection while it commits;</li>
 *   <li>{@code treatment.store.max-group-size} (default 256): most writes in one transaction;</li>
 *   <li>{@code treatment.store.commit-timeout-ms} (default 10000): how long a request waits for its commit before
 *       it is answered 503.</li>
 * </ul>
 */
@ApplicationScoped
public class StoreProducer {

    @Resource(lookup = "jdbc/treatment")
    DataSource dataSource;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    DatabaseMigrations migrations;

    @Inject
    PhiProtection phi;

    @Inject
    AuditConfig audit;

    @Inject
    @ConfigProperty(name = "treatment.store.writer-threads", defaultValue = "2")
    int writerThreads;

    @Inject
    @ConfigProperty(name = "treatment.store.max-group-size", defaultValue = "256")
    int maxGroupSize;

    @Inject
    @ConfigProperty(name = "treatment.store.commit-timeout-ms", defaultValue = "10000")
    long commitTimeoutMillis;

    @Produces
    @Singleton // final library class: no client proxy
    TreatmentStore treatmentStore() {
        migrations.migrate();
        StoreConfig config = StoreConfig.defaults()
                .withWriterThreads(writerThreads)
                .withMaxGroupSize(maxGroupSize)
                .withCommitTimeout(Duration.ofMillis(commitTimeoutMillis))
                .withThreadFactory(threads);
        return TreatmentStore.open(dataSource, phi, audit, config);
    }

    static void close(@Disposes TreatmentStore store) { // static: the producer bean may already be gone
        try {
            store.close();
        } catch (RuntimeException e) {
            LogManager.getLogger(StoreProducer.class).warn("closing the treatment store failed: {}", e.toString());
        }
    }
}
