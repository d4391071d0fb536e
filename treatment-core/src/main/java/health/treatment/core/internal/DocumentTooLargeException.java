package health.treatment.core.internal;

import java.io.IOException;

/** Thrown by {@link BoundedInputStream} through the parser so the validator can tell "too large" from other I/O. */
final class DocumentTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    DocumentTooLargeException() {
        super("document exceeds the configured size limit");
    }
}
