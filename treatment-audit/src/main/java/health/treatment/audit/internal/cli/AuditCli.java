package health.treatment.audit.internal.cli;

import health.treatment.audit.AuditException;
import health.treatment.audit.Checkpoint;
import health.treatment.audit.VerificationResult;
import health.treatment.audit.internal.ChainVerifier;
import health.treatment.audit.internal.ExportReader;
import health.treatment.audit.internal.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar treatment-audit.jar verify EXPORT.ndjson --public-key FILE.pem [--public-key FILE2.pem ...]
 * [--trusted-checkpoint CHECKPOINT.json]}: exit 0 intact, 1 broken (sequence and reason printed), 2 usage or I/O
 * error. Each checkpoint is checked with the given key whose key id it names (pass every key the trail used: the
 * current and the retired ones, as listed by the server's signing-keys). With a trusted checkpoint (a
 * {@code checkpoints/latest} JSON kept from earlier), the export must contain that sequence with that head hash, as an
 * event or as its start, and chain on from it. No freshness check offline. Runs from the {@code -cli} jar with nothing
 * but a JDK: this module and JSON-P (no logging or JPA classes on this path).
 */
public final class AuditCli {
    private static final String USAGE = "usage: java -jar treatment-audit.jar verify EXPORT.ndjson "
            + "--public-key FILE.pem [--public-key FILE2.pem ...] [--trusted-checkpoint CHECKPOINT.json]";
    private static final long MAX_CHECKPOINT_FILE = 64 * 1024;

    private AuditCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || !"verify".equals(args[0])) {
            err.println(USAGE);
            return 2;
        }
        Path export = null;
        List<Path> keyFiles = new ArrayList<>();
        Path trustedFile = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if ("--public-key".equals(a) || "--trusted-checkpoint".equals(a)) {
                if (i + 1 >= args.length) {
                    err.println(USAGE);
                    return 2;
                }
                Path value = Path.of(args[++i]);
                if ("--public-key".equals(a)) {
                    keyFiles.add(value);
                } else if (trustedFile == null) {
                    trustedFile = value;
                } else {
                    err.println("error: --trusted-checkpoint given more than once");
                    err.println(USAGE);
                    return 2;
                }
            } else if (a.startsWith("--") || export != null) {
                err.println(USAGE);
                return 2;
            } else {
                export = Path.of(a);
            }
        }
        if (export == null || keyFiles.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Path keyFile : keyFiles) {
            try {
                PublicKey key = Pem.readPublicKey(keyFile);
                keys.put(Pem.keyId(key), key);
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                err.println("error: cannot read an Ed25519 public key (X.509 PEM) from " + keyFile);
                return 2;
            }
        }
        Optional<Checkpoint> trusted = Optional.empty();
        if (trustedFile != null) {
            try {
                if (Files.size(trustedFile) > MAX_CHECKPOINT_FILE) {
                    err.println("error: " + trustedFile + " is not a checkpoint JSON (too large)");
                    return 2;
                }
                trusted = Optional.of(Checkpoint.fromJson(Files.readString(trustedFile, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                err.println("error: cannot read " + trustedFile);
                return 2;
            } catch (AuditException e) {
                err.println("error: " + trustedFile + " is not a checkpoint JSON (" + e.getMessage() + ")");
                return 2;
            }
        }
        try (InputStream in = Files.newInputStream(export)) {
            VerificationResult r = ExportReader.verify(in, ChainVerifier.keyIds(keys), trusted);
            out.println(r.summary()
                    + (r.intact() && trusted.isPresent()
                            ? " (extends the trusted checkpoint at sequence "
                                    + trusted.get().sequence() + ")"
                            : ""));
            return r.intact() ? 0 : 1;
        } catch (IOException e) {
            err.println("error: cannot read " + export);
            return 2;
        }
    }
}
