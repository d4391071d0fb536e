package health.treatment.web.it.payara;

import io.openliberty.arquillian.managed.WLPManagedContainer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Puts {@link PayaraMicroContainer} in place of the Liberty adapter when the run selects the {@code payara-micro}
 * container of arquillian.xml ({@code -Darquillian.launch=payara-micro}, the it-payara execution). Arquillian accepts
 * only one container implementation on the class path, so the choice is an override, made once per test JVM.
 */
public class PayaraMicroExtension implements LoadableExtension {

    /** The arquillian.xml qualifier (and {@code arquillian.launch} value) of the Payara Micro container. */
    public static final String QUALIFIER = "payara-micro";

    @Override
    public void register(ExtensionBuilder builder) {
        if (QUALIFIER.equals(System.getProperty("arquillian.launch"))) {
            builder.override(DeployableContainer.class, WLPManagedContainer.class, PayaraMicroContainer.class);
        }
    }
}
