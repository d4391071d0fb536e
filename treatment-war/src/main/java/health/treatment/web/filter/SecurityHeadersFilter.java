package health.treatment.web.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Locale;

/**
 * Security headers on every response of the WAR, errors included (mapped for REQUEST and ERROR dispatches), and
 * a guard that drops headers which identify the product or carry internals: {@code X-Powered-By}, {@code Server},
 * {@code Content-Language}, Liberty's private {@code $WSEP}, and any header whose name looks like a Java class
 * (mpMetrics once put exception classes and messages in such a header). Liberty's HTTP channel sets the same
 * headers for responses the WAR never sees (liberty/configDropins/defaults/http.xml); this filter keeps the WAR
 * correct on other servers.
 */
public class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String HSTS = "max-age=31536000; includeSubDomains";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        res.setHeader("Strict-Transport-Security", HSTS);
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cache-Control", "no-store");
        chain.doFilter(req, res instanceof Guarded ? res : new Guarded(res));
    }

    /** True for header names that must never leave the server. */
    static boolean forbidden(String name) {
        if (name == null) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("x-powered-by")
                || n.equals("server")
                || n.equals("content-language")
                || n.startsWith("$ws")
                || n.contains("exception")
                || n.startsWith("io.openliberty.")
                || n.startsWith("com.ibm.")
                || n.startsWith("org.")
                || n.startsWith("java.");
    }

    private static final class Guarded extends HttpServletResponseWrapper {
        Guarded(HttpServletResponse r) {
            super(r);
        }

        @Override
        public void setHeader(String name, String value) {
            if (!forbidden(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!forbidden(name)) {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setIntHeader(String name, int value) {
            if (!forbidden(name)) {
                super.setIntHeader(name, value);
            }
        }

        @Override
        public void addIntHeader(String name, int value) {
            if (!forbidden(name)) {
                super.addIntHeader(name, value);
            }
        }

        @Override
        public void setDateHeader(String name, long value) {
            if (!forbidden(name)) {
                super.setDateHeader(name, value);
            }
        }

        @Override
        public void addDateHeader(String name, long value) {
            if (!forbidden(name)) {
                super.addDateHeader(name, value);
            }
        }

        @Override
        public void setLocale(Locale loc) {
            // Setting a locale makes the container send Content-Language; we never localise responses.
        }
    }
}
