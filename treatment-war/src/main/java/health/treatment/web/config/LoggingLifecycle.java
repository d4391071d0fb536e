package health.treatment.web.config;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.apache.logging.log4j.LogManager;

/**
 * Stops the application's Log4j context when the application stops, so lines still queued in the asynchronous
 * appenders (log4j2.xml) reach their files: the JVM shutdown hook is disabled because the server, not the
 * application, owns the JVM.
 */
public class LoggingLifecycle implements ServletContextListener {

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        LogManager.shutdown();
    }
}
