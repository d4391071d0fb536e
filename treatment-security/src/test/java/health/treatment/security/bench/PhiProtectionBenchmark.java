package health.treatment.security.bench;

import health.treatment.security.BlindIndex;
import health.treatment.security.FieldBinding;
import health.treatment.security.PhiDecryptionException;
import health.treatment.security.PhiProtection;
import health.treatment.security.SecurityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** Single-threaded cost of protecting a typical patient identifier. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class PhiProtectionBenchmark {
    private static final String PATIENT_ID = "MRN-0012345678";
    private static final FieldBinding BINDING = new FieldBinding("7f9c2e4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b", "patient_id");

    private PhiProtection phi;
    private byte[] ciphertext;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("phi-bench");
        phi = PhiProtection.open(SecurityConfig.development(dir));
        ciphertext = phi.encrypt(PATIENT_ID, BINDING);
    }

    @Benchmark
    public byte[] encrypt() {
        return phi.encrypt(PATIENT_ID, BINDING);
    }

    @Benchmark
    public String decrypt() throws PhiDecryptionException {
        return phi.decrypt(ciphertext, BINDING);
    }

    @Benchmark
    public String encryptThenDecrypt() throws PhiDecryptionException {
        return phi.decrypt(phi.encrypt(PATIENT_ID, BINDING), BINDING);
    }

    @Benchmark
    public BlindIndex blindIndex() {
        return phi.blindIndex(PATIENT_ID);
    }
}
