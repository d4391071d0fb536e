package health.treatment.web.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every request under {@code /api} (and {@code /metrics}, unless the operator opened it) needs a verified token,
 * whatever the resource's own roles say, so a resource added without {@code @RolesAllowed} is never public by
 * accident. With the optional init parameter {@value #ROLE_PARAMETER}, the caller also needs that role.
 *
 * <p>This is the WAR's job rather than a {@code web.xml} security constraint's, because servers differ on a
 * constrained path without a token: Liberty answers 401, Payara Micro's MP JWT mechanism does nothing and its container
 * then ends the request with an empty 200, before any filter of the WAR has run (docs/portability.md). Here the refusal
 * is {@code sendError(401)} (or 403), which every Servlet 6 container sends through the error page: the same problem
 * body, Bearer challenge, audit event, metrics and unauthenticated rate limit a container refusal gets. Mapped before
 * the metrics and audit filters for that reason: they count and audit the error page's dispatch, as they do for the
 * container's own refusals.
 */
public class CallerRequiredFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** Init parameter: a role the caller must hold as well (a token {@code groups} entry). */
    public static final String ROLE_PARAMETER = "role";

    private String role;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        role = config.getInitParameter(ROLE_PARAMETER);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getUserPrincipal() == null && !authenticate(request, response)) {
            if (!response.isCommitted()) {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            }
            return;
        }
        if (role != null && !holdsRole(request)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The token's {@code groups} are its roles (MP JWT). Read from the token rather than {@code isUserInRole}: for a
     * path no constraint covers, Liberty maps no roles for the servlet API, and answers false.
     */
    private boolean holdsRole(HttpServletRequest request) {
        return request.getUserPrincipal() instanceof JsonWebToken token
                && token.getGroups() != null
                && token.getGroups().contains(role);
    }

    /**
     * Without a constraint, a server may verify a token only when asked: {@code authenticate} asks the login mechanism
     * (MP-JWT) to do it now. A request without any Authorization header has nothing to verify.
     */
    private static boolean authenticate(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (request.getHeader("Authorization") == null) {
            return false;
        }
        return request.authenticate(response);
    }
}
