package health.treatment.web.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * A failure while reading the request entity is the request's fault: 413 when the body limit tripped, otherwise
 * 400 malformed JSON. Without this, parser failures that are not {@code JsonException}s (e.g. the nesting-depth
 * guard) surface as 500.
 */
@Provider
public class EntityReadFailureInterceptor implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext ctx) throws IOException {
        try {
            return ctx.proceed();
        } catch (ProblemException e) {
            throw e;
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() < 500) {
                throw e;
            }
            throw asProblem(e);
        } catch (RuntimeException | IOException e) {
            throw asProblem(e);
        }
    }

    private static ProblemException asProblem(Throwable e) {
        ProblemKind kind = Failures.classify(e);
        return new ProblemException(kind == ProblemKind.PAYLOAD_TOO_LARGE ? kind : ProblemKind.MALFORMED_JSON, e);
    }
}
