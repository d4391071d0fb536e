package health.treatment.audit.testing;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/** Test appender keeping every formatted line in memory (configured in log4j2-test.xml). */
@Plugin(name = "Capture", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE)
public final class CaptureAppender extends AbstractAppender {
    private static final List<String> LINES = new ArrayList<>();

    private CaptureAppender(String name, Layout<? extends Serializable> layout) {
        super(name, null, layout, true, Property.EMPTY_ARRAY);
    }

    @PluginFactory
    public static CaptureAppender create(
            @PluginAttribute("name") String name, @PluginElement("Layout") Layout<? extends Serializable> layout) {
        return new CaptureAppender(name, layout);
    }

    @Override
    public void append(LogEvent event) {
        String line = new String(getLayout().toByteArray(event), StandardCharsets.UTF_8);
        if (event.getThrown() != null) {
            // Exception messages count as log content for the PHI checks.
            StringBuilder sb = new StringBuilder(line);
            for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                sb.append(" | ").append(t);
            }
            line = sb.toString();
        }
        synchronized (LINES) {
            LINES.add(line);
        }
    }

    public static List<String> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES);
        }
    }

    /** Lines written by the given logger name. */
    public static List<String> linesOf(String logger) {
        List<String> out = new ArrayList<>();
        for (String l : lines()) {
            if (l.startsWith(logger + "|")) {
                out.add(l.substring(l.indexOf('|', logger.length() + 1) + 1).strip());
            }
        }
        return out;
    }

    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }
}
