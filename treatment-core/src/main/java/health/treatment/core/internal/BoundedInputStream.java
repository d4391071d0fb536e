package health.treatment.core.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes through at most {@code limit + 1} bytes of the wrapped stream, then fails. Reading the one extra byte is how a
 * document of exactly {@code limit} bytes is told apart from a larger one without buffering or trusting a length header.
 * Never closes the wrapped stream: the caller owns it.
 */
final class BoundedInputStream extends InputStream {

    private final InputStream in;
    private final long limit;
    private long count;
    private boolean exceeded;

    BoundedInputStream(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        checkNotExceeded();
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkNotExceeded();
        if (len == 0) {
            return 0;
        }
        int allowed = (int) Math.min(len, limit + 1 - count);
        int n = in.read(b, off, allowed);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    /** Reads and discards up to the limit, so a document that failed early is still classified by its size. */
    void drain() throws IOException {
        byte[] buf = new byte[4096];
        while (!exceeded && read(buf, 0, buf.length) >= 0) {
            // discard
        }
    }

    boolean exceeded() {
        return exceeded;
    }

    private void count(int n) throws DocumentTooLargeException {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new DocumentTooLargeException();
        }
    }

    private void checkNotExceeded() throws DocumentTooLargeException {
        if (exceeded) {
            throw new DocumentTooLargeException();
        }
    }

    @Override
    public void close() {
        // The caller owns the wrapped stream.
    }
}
