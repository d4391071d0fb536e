package health.treatment.audit.internal.cli;

import health.treatment.audit.VerificationResult;
import health.treatment.audit.internal.ExportReader;
import health.treatment.audit.internal.Pem;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;

/**
 * {@code java -jar treatment-audit.jar verify EXPORT.ndjson --public-key FILE.pem}: exit 0 intact, 1 broken,
 * 2 usage or I/O error. Runs on the bare JDK (no logging or JPA classes on this path).
 */
public final class AuditCli {
    private static final String USAGE = "usage: java -jar treatment-audit.jar verify EXPORT.ndjson --public-key FILE.pem";

    private AuditCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 4 || !"verify".equals(args[0])) {
            err.println(USAGE);
            return 2;
        }
        Path export;
        Path keyFile;
        if ("--public-key".equals(args[2])) {
            export = Path.of(args[1]);
            keyFile = Path.of(args[3]);
        } else if ("--public-key".equals(args[1])) {
            keyFile = Path.of(args[2]);
            export = Path.of(args[3]);
        } else {
            err.println(USAGE);
            return 2;
        }
        PublicKey key;
        try {
            key = Pem.readPublicKey(keyFile);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            err.println("error: cannot read an Ed25519 public key (X.509 PEM) from " + keyFile);
            return 2;
        }
        try (InputStream in = Files.newInputStream(export)) {
            VerificationResult r = ExportReader.verify(in, key);
            out.println(r.summary());
            return r.intact() ? 0 : 1;
        } catch (IOException e) {
            err.println("error: cannot read " + export);
            return 2;
        }
    }
}
