package health.treatment.web.config;

import health.treatment.core.BatchLimits;
import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Turns {@code treatment.request.max-bytes} and {@code treatment.batch.*} into the core validator's limits. */
@ApplicationScoped
public class ValidatorProducer {

    @Inject
    @ConfigProperty(name = "treatment.request.max-bytes", defaultValue = "65536")
    int maxBytes;

    @Inject
    @ConfigProperty(name = "treatment.batch.max-bytes", defaultValue = "4194304")
    int batchMaxBytes;

    @Inject
    @ConfigProperty(name = "treatment.batch.max-items", defaultValue = "1000")
    int batchMaxItems;

    /** Limits of the batch endpoint (on top of the per-record limit each item gets). */
    @Produces
    @Singleton
    BatchLimits batchLimits() {
        return new BatchLimits(batchMaxBytes, batchMaxItems);
    }

    @Produces
    @Singleton // the library facades are final classes: no client proxy, one shared instance
    TreatmentValidator validator() {
        return TreatmentValidator.create(ValidationLimits.defaults().withMaxDocumentBytes(maxBytes));
    }
}
