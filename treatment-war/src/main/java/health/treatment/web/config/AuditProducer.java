package health.treatment.web.config;

import health.treatment.audit.AuditConfig;
import health.treatment.audit.AuditSigningKey;
import health.treatment.security.DeploymentMode;
import health.treatment.security.PhiProtection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the audit trail's configuration (the treatment store runs the trail on its connections) from MicroProfile
 * Config.
 *
 * <ul>
 *   <li>{@code treatment.node-id} ({@code TREATMENT_NODE_ID}): this node's name in events and in sealer election
 *       (default: the host name).</li>
 *   <li>{@code treatment.audit.signing-key.private} / {@code .public}: Ed25519 PEM files for checkpoints. In
 *       development, when unset, a key pair is created under {@code <data dir>/audit-keys} with a warning.
 *       Production, when unset, uses the key pair sealed under the KEK beside the PHI key ring
 *       ({@value #SEALED_SIGNING_KEY}), which {@code treatment.keys.bootstrap} creates.</li>
 *   <li>{@code treatment.audit.checkpoint-every-events}, {@code treatment.audit.checkpoint-interval-seconds};
 *       {@code treatment.audit.stale-after-intervals} (default 3): verification fails ({@code unsigned_tail_stale})
 *       when an event older than that many checkpoint intervals is not covered by a signed checkpoint.</li>
 * </ul>
 */
@ApplicationScoped
public class AuditProducer {

    /** Name of the production audit signing key among the key ring's sealed secrets. */
    static final String SEALED_SIGNING_KEY = "audit-signing-key";

    private static final Logger LOG = LogManager.getLogger(AuditProducer.class);

    @Inject
    @ConfigProperty(name = "treatment.deployment", defaultValue = "development")
    String deployment;

    @Inject
    SecurityProducer security;

    @Inject
    Instance<PhiProtection> phi; // only production resolves it: the sealed signing key lives with the key ring

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
    @ConfigProperty(name = "treatment.audit.stale-after-intervals", defaultValue = "3")
    int staleAfterIntervals;

    @Produces
    @Singleton // final library class: no client proxy
    AuditConfig auditConfig() {
        AuditConfig defaults = AuditConfig.defaults(nodeId(), signingKey());
        return new AuditConfig(
                        defaults.nodeId(),
                        defaults.signingKey(),
                        checkpointEveryEvents,
                        Duration.ofSeconds(checkpointIntervalSeconds),
                        defaults.leaseDuration(),
                        defaults.sealBatchSize(),
                        defaults.clock())
                .withStaleAfterIntervals(staleAfterIntervals);
    }

    private AuditSigningKey signingKey() {
        if (privateKey.isPresent() && publicKey.isPresent()) {
            return AuditSigningKey.load(Path.of(privateKey.get()), Path.of(publicKey.get()));
        }
        if (privateKey.isPresent() || publicKey.isPresent()) {
            throw new IllegalStateException("treatment.audit.signing-key.private and .public go together: set both");
        }
        if (SecurityProducer.deploymentMode(deployment) == DeploymentMode.DEVELOPMENT) {
            return AuditSigningKey.loadOrCreateDevelopment(
                    ServerDirectories.dataDir().resolve("audit-keys"));
        }
        PhiProtection ring = phi.get(); // opens (or bootstraps) the key ring first
        var sealed = ring.sealedSecret(SEALED_SIGNING_KEY);
        if (sealed.isPresent()) {
            return AuditSigningKey.fromSealablePem(sealed.get());
        }
        if (!security.bootstrapping()) {
            throw new IllegalStateException("no audit signing key: set treatment.audit.signing-key.private and "
                    + ".public, or provision a new installation once with TREATMENT_KEYS_BOOTSTRAP=true");
        }
        AuditSigningKey created = AuditSigningKey.generate();
        ring.createSealedSecret(SEALED_SIGNING_KEY, created.toSealablePem());
        LOG.warn(
                "Key bootstrap: created the audit signing key, key id (SHA-256 fingerprint) {}, sealed under the "
                        + "key-encryption key beside the key ring",
                created.keyId());
        return created;
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
