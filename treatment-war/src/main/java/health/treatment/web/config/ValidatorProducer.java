package health.treatment.web.config;

import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Turns {@code treatment.request.max-bytes} into the core validator's limits. */
@ApplicationScoped
public class ValidatorProducer {

    @Inject
    @ConfigProperty(name = "treatment.request.max-bytes", defaultValue = "65536")
    int maxBytes;

    @Produces
    @Singleton // the library facades are final classes: no client proxy, one shared instance
    TreatmentValidator validator() {
        return TreatmentValidator.create(ValidationLimits.defaults().withMaxDocumentBytes(maxBytes));
    }
}
