package health.treatment.web.config;

import health.treatment.audit.AbuseDetector;
import health.treatment.audit.AbuseThresholds;
import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditSigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the audit trail's configuration (the treatment store runs the trail on its connections) and the abuse
 * detector from MicroProfile Config.
 *
 * <ul>
 *   <li>{@code treatment.node-id} ({@code TREATMENT_NODE_ID}): this node's name in events and in sealer election
 *       (default: the host name).</li>
 *   <li>{@code treatment.audit.signing-key.private} / {@code .public}: Ed25519 PEM files for checkpoints. In
 *       development, when unset, a key pair is created under {@code <server output>/audit-keys} with a warning;
 *       production requires both.</li>
 *   <li>{@code treatment.audit.checkpoint-every-events}, {@code treatment.audit.checkpoint-interval-seconds}.</li>
 *   <li>{@code treatment.abuse.max-rejections} per {@code treatment.abuse.window-seconds}.</li>
 * </ul>
 */
@ApplicationScoped
public class AuditProducer {

    @Inject
    @ConfigProperty(name = "treatment.deployment", defaultValue = "development")
    String deployment;

    @Inject
    @ConfigProperty(name = "treatment.node-id")
    Optional<String> nodeId;

    @Inject
    @ConfigProperty(name = "treatment.audit.signing-key.private")
    Optional<String> privateKey;

    @Inject
    @ConfigProperty(name = "treatment.audit.signing-key.public")
    Optional<String> publicKey;

    @Inject
    @ConfigProperty(name = "treatment.audit.checkpoint-every-events", defaultValue = "1000")
    int checkpointEveryEvents;

    @Inject
    @ConfigProperty(name = "treatment.audit.checkpoint-interval-seconds", defaultValue = "60")
    long checkpointIntervalSeconds;

    @Inject
    @ConfigProperty(name = "treatment.abuse.max-rejections", defaultValue = "20")
    int abuseMaxRejections;

    @Inject
    @ConfigProperty(name = "treatment.abuse.window-seconds", defaultValue = "60")
    long abuseWindowSeconds;

    @Produces
    @Singleton // final library class: no client proxy
    AuditConfig auditConfig() {
        AuditConfig defaults = AuditConfig.defaults(nodeId(), signingKey());
        return new AuditConfig(defaults.nodeId(), defaults.signingKey(), checkpointEveryEvents,
                Duration.ofSeconds(checkpointIntervalSeconds), defaults.leaseDuration(), defaults.sealBatchSize(),
                defaults.clock());
    }

    @Produces
    @Singleton
    AbuseDetector abuseDetector() {
        AbuseThresholds defaults = AbuseThresholds.defaults();
        return new AbuseDetector(new AbuseThresholds(abuseMaxRejections, Duration.ofSeconds(abuseWindowSeconds),
                defaults.maxTrackedKeys()), Clock.systemUTC());
    }

    private AuditSigningKey signingKey() {
        if (privateKey.isPresent() && publicKey.isPresent()) {
            return AuditSigningKey.load(Path.of(privateKey.get()), Path.of(publicKey.get()));
        }
        if (SecurityProducer.deploymentMode(deployment) != health.treatment.security.DeploymentMode.DEVELOPMENT) {
            throw new IllegalStateException("treatment.audit.signing-key.private and .public are required in production");
        }
        return AuditSigningKey.loadOrCreateDevelopment(ServerDirectories.outputDir().resolve("audit-keys"));
    }

    private String nodeId() {
        String raw = nodeId.filter(s -> !s.isBlank()).orElseGet(AuditProducer::hostName);
        String safe = raw.replaceAll("[^A-Za-z0-9_.-]", "-");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
