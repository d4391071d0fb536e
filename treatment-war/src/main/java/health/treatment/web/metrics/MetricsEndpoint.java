package health.treatment.web.metrics;

import health.treatment.web.filter.CallerRequiredFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers {@code GET /metrics}. The counters include the security-alert counts, which tell an attacker how close
 * they are to a threshold, so by default it requires a token with the {@value #ROLE} role (a
 * {@link CallerRequiredFilter}: 401 without a verified token, 403 without the role); {@code treatment.metrics.public=true}
 * ({@code TREATMENT_METRICS_PUBLIC}) serves it without a token, for a scrape network the operator keeps private.
 * Registered in code because only a programmatic registration can choose its protection from configuration. TRACE is
 * denied here as on every path, by web.xml's constraint.
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
            FilterRegistration.Dynamic caller = context.addFilter("metricsCaller", CallerRequiredFilter.class);
            caller.setInitParameter(CallerRequiredFilter.ROLE_PARAMETER, ROLE);
            // Before web.xml's filters, as for /api: the metrics and audit filters see the refusal's error dispatch.
            caller.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/metrics");
        }
    }
}
