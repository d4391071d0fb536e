package health.treatment.web.problem;

import java.io.IOException;

/**
 * Thrown by the body-limit stream when more bytes than allowed arrive. An {@link IOException} so that whatever
 * reads the body (a JSON parser, a provider) fails the way it fails on any broken stream; the mappers find it
 * in the cause chain and answer 413.
 */
public final class RequestBodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public RequestBodyTooLargeException() {
        super("request body exceeds the limit");
    }
}
