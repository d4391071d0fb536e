package health.treatment.web.filter;

import health.treatment.web.problem.Problem;
import health.treatment.web.problem.ProblemKind;
import health.treatment.web.problem.ProblemResponses;
import health.treatment.web.problem.RequestBodyTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Bounds the request body by the bytes that actually arrive (DESIGN: "the body limit counts bytes on the wire"),
 * whatever the framing: a declared {@code Content-Length} over the limit is refused before reading; a chunked or
 * lying body fails with {@link RequestBodyTooLargeException} as soon as the limit is passed, which the problem
 * mappers turn into 413. Liberty has no request body limit by default (1 MiB and 50 MiB bodies were measured to
 * reach the resource).
 */
public class BodyLimitFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** MP Config key of the limit in bytes. */
    public static final String LIMIT_KEY = "treatment.request.max-bytes";

    public static final long DEFAULT_LIMIT = 64 * 1024;
    /** MP Config key of the batch upload's limit in bytes (the batch endpoint only). */
    public static final String BATCH_LIMIT_KEY = "treatment.batch.max-bytes";

    public static final long DEFAULT_BATCH_LIMIT = 4 * 1024 * 1024;
    /** The path (below the context root) whose body may be a batch. */
    public static final String BATCH_PATH = "/api/v1/treatments/batch";

    private long limit = DEFAULT_LIMIT;
    private long batchLimit = DEFAULT_BATCH_LIMIT;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        limit = ConfigProvider.getConfig()
                .getOptionalValue(LIMIT_KEY, Long.class)
                .orElse(DEFAULT_LIMIT);
        batchLimit = ConfigProvider.getConfig()
                .getOptionalValue(BATCH_LIMIT_KEY, Long.class)
                .orElse(DEFAULT_BATCH_LIMIT);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        long limit = BATCH_PATH.equals(
                        req.getRequestURI().substring(req.getContextPath().length()))
                ? batchLimit
                : this.limit;
        if (req.getContentLengthLong() > limit) {
            // Close the connection: the unread body must not be parsed as the next request.
            res.setHeader("Connection", "close");
            ProblemResponses.write(res, Problem.of(ProblemKind.PAYLOAD_TOO_LARGE));
            return;
        }
        chain.doFilter(new Limited(req, limit), res);
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private CountingInputStream stream;
        private BufferedReader reader;

        Limited(HttpServletRequest req, long limit) {
            super(req);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingInputStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String enc = getCharacterEncoding();
                Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), cs));
            }
            return reader;
        }
    }

    private static final class CountingInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        CountingInputStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        private void add(long n) throws RequestBodyTooLargeException {
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new RequestBodyTooLargeException();
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            add(n);
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
