package health.treatment.core.bench;

import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Parse + validate + bind throughput of {@link TreatmentValidator}; run with -Pbench (see docs/benchmarks-treatment-core.md). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class ValidatorBenchmark {

    static final String ARTICLE = "{\"patient_id\": \"123456\", \"treatment_start\": \"2025-03-28T08:00:00Z\","
            + " \"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5,"
            + " \"machine_id\": \"DX2020\", \"alarms\": [\"A12\", \"B03\"]}";

    static final String INVALID = "{\"patient_id\": \"' OR 1=1 --\", \"treatment_start\": \"2025-02-30T08:00:00Z\","
            + " \"treatment_end\": \"2025-03-28T10:00:00\", \"uf_volume\": 1000, \"conductivity\": \"13.5\","
            + " \"machine_id\": \"<script>\", \"alarms\": [\"A12\", 3], \"colour\": \"red\"}";

    private TreatmentValidator validator;
    private byte[] article;
    private byte[] large;
    private byte[] invalid;

    @Setup
    public void setUp() {
        validator = TreatmentValidator.createDefault();
        article = ARTICLE.getBytes(StandardCharsets.UTF_8);
        invalid = INVALID.getBytes(StandardCharsets.UTF_8);
        large = largeValid().getBytes(StandardCharsets.UTF_8);
        if (!validator.validate(article).isValid()
                || !validator.validate(large).isValid()
                || validator.validate(invalid).isValid()) {
            throw new IllegalStateException("benchmark documents are not what they claim");
        }
    }

    /** A valid document just under 64 KiB: 256 alarms, 2000 characters of notes, as many observations as fit. */
    static String largeValid() {
        StringBuilder sb = new StringBuilder(ARTICLE.substring(0, ARTICLE.indexOf("\"alarms\"")));
        sb.append("\"notes\": \"").append("n".repeat(2000)).append("\", \"alarms\": [");
        for (int i = 0; i < 256; i++) {
            sb.append(i == 0 ? "" : ", ").append("\"A").append(i).append('"');
        }
        sb.append("], \"observations\": [");
        String obs = "{\"system\": \"http://loinc.org\", \"code\": \"8867-4\", \"value\": 72.5, \"unit\": \"/min\","
                + " \"time\": \"2025-03-28T08:30:00Z\"}";
        for (int i = 0; i < 500 && sb.length() + obs.length() + 4 < 65_000; i++) {
            sb.append(i == 0 ? "" : ", ").append(obs);
        }
        return sb.append("]}").toString();
    }

    @Benchmark
    public ValidationResult articleExample() {
        return validator.validate(article);
    }

    @Benchmark
    public ValidationResult articleExampleFromStream() {
        return validator.validate(new ByteArrayInputStream(article));
    }

    @Benchmark
    public ValidationResult largeValidDocument() {
        return validator.validate(large);
    }

    @Benchmark
    public ValidationResult invalidDocument() {
        return validator.validate(invalid);
    }

    /** A stream of {@code oversizeBytes} bytes that is never materialized: memory must not depend on its size. */
    @Benchmark
    public ValidationResult oversizedStream(Oversize oversize) {
        return validator.validate(new GeneratedDocument(oversize.bytes));
    }

    /** Size of the oversized input: just over the limit, and 10 MiB. */
    @State(Scope.Benchmark)
    public static class Oversize {
        @Param({"65537", "10485760"})
        public int bytes;
    }

    /** {@code {"notes": "nnnn...} of a given length, generated on the fly. */
    static final class GeneratedDocument extends InputStream {
        private static final byte[] PREFIX = "{\"notes\": \"".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long pos;

        GeneratedDocument(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (pos >= size) {
                return -1;
            }
            return pos < PREFIX.length ? PREFIX[(int) pos++] : (pos++ == size - 1 ? '"' : 'n');
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) read();
            }
            return n;
        }
    }
}
