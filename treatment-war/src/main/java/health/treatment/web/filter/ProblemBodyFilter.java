package health.treatment.web.filter;

import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Gives a problem body to error statuses that come back from the chain without one: the security layer's 401
 * and 403 (MP JWT and the role check answer with an empty body) and anything else that only sets a status.
 */
public class ProblemBodyFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        Tracking tracking = new Tracking(res);
        chain.doFilter(req, tracking);
        int status = res.getStatus();
        if (status >= 400 && !tracking.bodyStarted && !res.isCommitted()) {
            ProblemResponses.write(res, Problem.forStatus(status));
        }
    }

    private static final class Tracking extends HttpServletResponseWrapper {
        private boolean bodyStarted;

        Tracking(HttpServletResponse r) {
            super(r);
        }

        private ServletOutputStream stream;

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            // JAX-RS opens the stream even for empty responses: only bytes count as a body.
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        bodyStarted = true;
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (len > 0) {
                            bodyStarted = true;
                        }
                        out.write(b, off, len);
                    }

                    @Override
                    public void flush() throws IOException {
                        if (bodyStarted) {
                            out.flush();
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        if (bodyStarted) {
                            out.close();
                        }
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            // The message could quote the request; the error page (ProblemServlet) writes the body.
            bodyStarted = true;
            super.sendError(sc);
        }

        @Override
        public void sendError(int sc) throws IOException {
            bodyStarted = true;
            super.sendError(sc);
        }
    }
}
