package health.treatment.web.metrics;

import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.HttpMethodConstraintElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers {@code GET /metrics}. The counters include the security-alert counts, which tell an attacker how close
 * they are to a threshold, so by default the container requires a token with the {@value #ROLE} role;
 * {@code treatment.metrics.public=true} ({@code TREATMENT_METRICS_PUBLIC}) serves it without a token, for a
 * scrape network the operator keeps private. Registered in code because only a programmatic registration can
 * choose its security constraint from configuration.
 */
public class MetricsEndpoint implements ServletContextListener {

    /** The role (token {@code groups} entry) a scraper needs. */
    public static final String ROLE = "monitor";

    static final String PUBLIC_KEY = "treatment.metrics.public";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ServletRegistration.Dynamic metrics = context.addServlet("metricsEndpoint", MetricsServlet.class);
        metrics.addMapping("/metrics");
        boolean open = ConfigProvider.getConfig()
                .getOptionalValue(PUBLIC_KEY, Boolean.class)
                .orElse(false);
        if (!open) {
            context.declareRoles(ROLE);
            // TRACE is denied to everyone, as on every other path (web.xml); this exact pattern's constraint replaces
            // web.xml's /* one for /metrics.
            metrics.setServletSecurity(new ServletSecurityElement(
                    new HttpConstraintElement(ServletSecurity.TransportGuarantee.NONE, ROLE),
                    List.of(new HttpMethodConstraintElement(
                            "TRACE", new HttpConstraintElement(ServletSecurity.EmptyRoleSemantic.DENY)))));
        }
    }
}
