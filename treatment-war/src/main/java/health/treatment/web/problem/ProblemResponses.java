package health.treatment.web.problem;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes problems to JAX-RS and servlet responses, the same way everywhere. */
public final class ProblemResponses {

    /** The challenge sent with every 401 (RFC 6750). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"treatment\"";

    /** Retry-After for 503 (the store is unavailable): short, clients back off on their own. */
    public static final String RETRY_AFTER_UNAVAILABLE_SECONDS = "5";

    private ProblemResponses() {}

    /** The challenge after a rejected token (RFC 6750 section 3.1); never says why it was rejected. */
    public static final String BEARER_INVALID_TOKEN = "Bearer realm=\"treatment\", error=\"invalid_token\"";

    /** 401 problem with the right challenge: {@code invalid_token} when a token was presented. */
    public static Response unauthorized(boolean tokenPresented) {
        return Response.status(401)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(ProblemKind.UNAUTHORIZED).toJsonString())
                .header("WWW-Authenticate", tokenPresented ? BEARER_INVALID_TOKEN : BEARER_CHALLENGE)
                .build();
    }

    /** A JAX-RS response carrying the problem. */
    public static Response.ResponseBuilder jaxrs(Problem problem) {
        Response.ResponseBuilder b =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem.toJsonString());
        if (problem.status() == 401) {
            b.header("WWW-Authenticate", BEARER_CHALLENGE);
        }
        if (problem.status() == 503) {
            b.header("Retry-After", RETRY_AFTER_UNAVAILABLE_SECONDS);
        }
        return b;
    }

    /**
     * Writes the problem to a servlet response, replacing whatever body was buffered. Does nothing when the
     * response is already committed (then nothing can be changed any more).
     */
    public static void write(HttpServletResponse response, Problem problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (problem.status() == 401 && !response.containsHeader("WWW-Authenticate")) {
            response.setHeader("WWW-Authenticate", BEARER_CHALLENGE);
        }
        String json = problem.toJsonString();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerAlreadyUsed) {
            response.getWriter().write(json);
        }
        response.flushBuffer();
    }
}
