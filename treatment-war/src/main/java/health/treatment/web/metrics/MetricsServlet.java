package health.treatment.web.metrics;

import health.treatment.web.audit.AuditSealer;
import health.treatment.web.audit.RequestAuditor;
import health.treatment.web.filter.Labels;
import health.treatment.web.persistence.GuardedStore;
import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text format, counts and latencies per route template only (no PHI, no ids,
 * bounded label values). Who may read it is decided where it is registered ({@link MetricsEndpoint}).
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    // Micrometer names; rendered as treatment_audit_tamper_findings_total, treatment_audit_events_lost_total and
    // treatment_store_circuit_open.
    private static final String TAMPER_FINDINGS = "treatment.audit.tamper.findings";
    private static final String LOST_EVENTS = "treatment.audit.events.lost";
    private static final String CIRCUIT_OPEN = "treatment.store.circuit.open";

    @Inject
    transient AuditSealer sealer; // counts the audit tamper findings (sealing runs outside any request)

    @Inject
    transient RequestAuditor auditor;

    @Inject
    transient GuardedStore store;

    private transient RequestMetrics metrics;

    /** Adds the three values kept elsewhere to the registry; the injected beans live as long as this servlet. */
    @Override
    public void init() throws ServletException {
        metrics = MetricsFilter.metrics(getServletContext());
        metrics.counter(
                TAMPER_FINDINGS,
                "Audit outbox rows that were not valid events, recorded in the chain as tamper findings.",
                sealer,
                AuditSealer::tamperFindings);
        metrics.counter(
                LOST_EVENTS,
                "Answered requests whose outcome could not be put into the audit trail (store unavailable).",
                auditor,
                RequestAuditor::lostEvents);
        metrics.gauge(
                CIRCUIT_OPEN,
                "1 while the store's circuit breaker refuses calls (as requests last saw it), else 0.",
                store,
                s -> s.openSince().isPresent() ? 1 : 0);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        req.setAttribute(Labels.ROUTE_ATTRIBUTE, "/metrics");
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            resp.setHeader("Allow", "GET, HEAD");
            ProblemResponses.write(resp, Problem.of(ProblemKind.METHOD_NOT_ALLOWED));
            return;
        }
        String text = metrics.render();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.setContentLength(body.length);
        if (req.getMethod().equals("GET")) {
            resp.getOutputStream().write(body);
        }
    }

    /**
     * Declared only so that Liberty does not refuse TRACE for this servlet itself: it does so for a servlet that keeps
     * {@link HttpServlet}'s default, and then refuses the error page's dispatch too (empty 403). web.xml's constraint
     * denies TRACE before it gets here; {@link #service} answers every method.
     */
    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        service(req, resp);
    }
}
