import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's CPU goes, by the request stage a sampled stack belongs to (JDK only; run as a single file):
 *
 *   java bench/JfrBreakdown.java RECORDING.jfr
 *
 * Every jdk.ExecutionSample of a recording taken under load (jcmd PID JFR.start duration=30s filename=F.jfr) is
 * attributed to the first stage found walking its stack from the running frame towards the thread's root: the
 * innermost stage wins (SHA-256 called by the TLS engine is TLS, called by Tink is encryption). Samples with no
 * stage frame at all are "other". Prints one line per stage: samples and share.
 */
public class JfrBreakdown {

  /** Stage, then the class-name prefixes that identify it (first match in this order, per frame). */
  static final Map<String, List<String>> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("logging", List.of("org.apache.logging."));
    STAGES.put("database", List.of("org.h2.", "org.postgresql.", "com.ibm.ws.rsadapter.", "com.ibm.ejs.j2c.",
        "com.ibm.ws.jdbc.", "health.treatment.store.internal.WriteGroup", "health.treatment.audit.jdbc."));
    STAGES.put("encryption", List.of("com.google.crypto.tink.", "health.treatment.security."));
    STAGES.put("audit", List.of("health.treatment.audit."));
    STAGES.put("validation", List.of("org.leadpony.justify.", "org.eclipse.parsson.", "org.glassfish.json.",
        "health.treatment.core."));
    STAGES.put("rate limit", List.of("io.github.bucket4j.", "com.github.benmanes.caffeine."));
    STAGES.put("JWT", List.of("org.jose4j.", "com.ibm.ws.security.mp.jwt.", "com.ibm.ws.security.jwt.",
        "io.openliberty.security.mp.jwt."));
    STAGES.put("TLS", List.of("sun.security.ssl.", "com.ibm.ws.channel.ssl.", "javax.net.ssl.",
        "com.ibm.ws.ssl."));
    STAGES.put("application", List.of("health.treatment."));
    STAGES.put("HTTP and JAX-RS container", List.of("com.ibm.ws.http.", "com.ibm.ws.webcontainer.",
        "com.ibm.ws.tcpchannel.", "org.apache.cxf.", "org.jboss.resteasy.", "com.ibm.ws.jaxrs", "io.openliberty.restfulWS",
        "com.ibm.ws.security.", "org.jboss.weld.", "com.ibm.ws.cdi.", "com.ibm.ws.threading.",
        "com.ibm.io.async.", "com.ibm.ws.channelfw.", "com.ibm.wsspi.", "io.openliberty."));
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java JfrBreakdown.java RECORDING.jfr");
      System.exit(2);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    STAGES.keySet().forEach(s -> counts.put(s, 0L));
    counts.put("other", 0L);
    long total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      total++;
      counts.merge(stage(e.getStackTrace().getFrames()), 1L, Long::sum);
    }
    System.out.printf("%-28s %8s %7s%n", "stage", "samples", "share");
    for (Map.Entry<String, Long> c : counts.entrySet()) {
      System.out.printf("%-28s %8d %6.1f%%%n", c.getKey(), c.getValue(), total == 0 ? 0 : 100.0 * c.getValue() / total);
    }
    System.out.printf("%-28s %8d%n", "total", total);
  }

  static String stage(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) { // frames.get(0) is the running frame
      if (f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      for (Map.Entry<String, List<String>> s : STAGES.entrySet()) {
        for (String prefix : s.getValue()) {
          if (type.startsWith(prefix)) {
            return s.getKey();
          }
        }
      }
    }
    return "other";
  }
}
