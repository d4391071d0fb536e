package health.treatment.store.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source in front of a real one that a test can make refuse connections (the database is down) or hold them
 * back (the database hangs), to drive the store's failure paths without stopping a database.
 */
public final class GatedDataSource implements DataSource {

    private final DataSource delegate;
    private volatile boolean refusing;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger held = new AtomicInteger();
    private volatile int commitDelayMillis;

    public GatedDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** From now on every {@code getConnection} fails as if the database were unreachable. */
    public void refuse() {
        refusing = true;
    }

    /** From now on every {@code getConnection} waits (up to a minute) until {@link #open} is called. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Connections are handed out again, and callers held by {@link #hold} go on. */
    public void open() {
        refusing = false;
        gate.countDown();
    }

    @Override
    public Connection getConnection() throws SQLException {
        pass();
        return commitDelayMillis == 0 ? delegate.getConnection() : slowCommits(delegate.getConnection());
    }

    private Connection slowCommits(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(commitDelayMillis + 1));
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        pass();
        return delegate.getConnection(user, password);
    }

    /**
     * From now on every commit of a connection from here first waits a random 0 to {@code maxMillis} ms, so concurrent
     * transactions commit in an order unrelated to the order they did their work in.
     */
    public void delayCommits(int maxMillis) {
        commitDelayMillis = maxMillis;
    }

    /** How many callers {@link #hold} is holding back right now. */
    public int held() {
        return held.get();
    }

    private void pass() throws SQLException {
        held.incrementAndGet();
        try {
            if (!gate.await(1, TimeUnit.MINUTES)) {
                throw new SQLTransientConnectionException("held too long", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted", "08001");
        } finally {
            held.decrementAndGet();
        }
        if (refusing) {
            throw new SQLTransientConnectionException("refused", "08001");
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
