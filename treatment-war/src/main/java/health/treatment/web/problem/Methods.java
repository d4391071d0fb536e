package health.treatment.web.problem;

import health.treatment.web.filter.ApiRoutes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The 405 the WAR gives a method it never serves (TRACE), with the target's {@code Allow} (RFC 9110 15.5.6). */
final class Methods {

    static final String TRACE = "TRACE";

    private Methods() {}

    /** The methods {@code path} (within the context) serves; empty for a path that serves none. */
    static String allow(String path) {
        if ("/metrics".equals(path)) { // registered by MetricsEndpoint; MetricsServlet answers GET and HEAD
            return "GET, HEAD";
        }
        return ApiRoutes.templateOf(path)
                .flatMap(ApiRoutes::route)
                .map(route -> {
                    List<String> methods = new ArrayList<>(route.methods());
                    if (methods.contains("GET")) {
                        methods.add("HEAD"); // JAX-RS answers HEAD for every GET method
                    }
                    methods.sort(null);
                    return String.join(", ", methods);
                })
                .orElse("");
    }

    /** Answers 405 for {@code path}. */
    static void notAllowed(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        resp.setHeader("Allow", allow(path));
        ProblemResponses.write(resp, Problem.of(ProblemKind.METHOD_NOT_ALLOWED));
    }
}
