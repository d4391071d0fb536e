package health.treatment.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void encryptAndDecryptStayCorrectWhileAnotherThreadRotates() throws Exception {
        PhiProtection phi = PhiProtection.open(SecurityConfig.development(dir));
        byte[] beforeRotation = phi.encrypt("before", new FieldBinding("rec-0", "notes"));
        int workers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(workers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                results.add(pool.submit(() -> {
                    started.countDown();
                    int checked = 0;
                    while (!stop.get() || checked < 200) {
                        FieldBinding binding = new FieldBinding("rec-" + worker + "-" + checked, "patient_id");
                        String plaintext = "MRN-" + worker + "-" + checked;
                        byte[] ciphertext = phi.encrypt(plaintext, binding);
                        if (!phi.decrypt(ciphertext, binding).equals(plaintext)
                                || !phi.decrypt(beforeRotation, new FieldBinding("rec-0", "notes"))
                                        .equals("before")
                                || !phi.blindIndex(plaintext).equals(phi.blindIndex(plaintext.toLowerCase()))) {
                            throw new AssertionError("wrong result in worker " + worker);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            Future<Integer> rotator = pool.submit(() -> {
                started.await();
                for (int i = 0; i < 10; i++) {
                    phi.rotate();
                    Thread.sleep(20);
                }
                stop.set(true);
                return 10;
            });
            assertThat(rotator.get(2, TimeUnit.MINUTES)).isEqualTo(10);
            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isGreaterThanOrEqualTo(200);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(phi.status().keyCount()).isEqualTo(11);
        PhiProtection reopened = PhiProtection.open(SecurityConfig.development(dir));
        assertThat(reopened.status()).isEqualTo(phi.status());
        assertThat(reopened.decrypt(beforeRotation, new FieldBinding("rec-0", "notes")))
                .isEqualTo("before");
    }

    @Test
    void patientKeysStayUsableWhileAnotherThreadBeginsWrappingEpochs() throws Exception {
        PhiProtection phi = PhiProtection.open(SecurityConfig.development(dir));
        PatientReference patient = phi.pseudonym("MRN-CONCURRENT");
        WrappedPatientKey first = phi.newPatientKey(patient);
        byte[] firstNote = phi.encryptForPatient(patient, first, "first", new FieldBinding("rec-0", "notes"));
        int workers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(workers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                results.add(pool.submit(() -> {
                    started.countDown();
                    int checked = 0;
                    while (!stop.get() || checked < 100) {
                        FieldBinding binding = new FieldBinding("rec-" + worker + "-" + checked, "notes");
                        boolean rewrapped = checked % 2 == 1;
                        WrappedPatientKey key =
                                rewrapped ? phi.rewrapPatientKey(patient, first) : phi.newPatientKey(patient);
                        byte[] note = phi.encryptForPatient(patient, key, "note " + checked, binding);
                        if (!phi.decryptForPatient(patient, key, note, binding).equals("note " + checked)) {
                            throw new AssertionError("wrong result in worker " + worker);
                        }
                        if (rewrapped
                                && !phi.decryptForPatient(patient, key, firstNote, new FieldBinding("rec-0", "notes"))
                                        .equals("first")) {
                            throw new AssertionError("re-wrapped key lost its data in worker " + worker);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            Future<Integer> rotator = pool.submit(() -> {
                started.await();
                for (int i = 0; i < 10; i++) {
                    phi.beginWrappingEpoch();
                    Thread.sleep(20);
                }
                stop.set(true);
                return 10;
            });
            assertThat(rotator.get(2, TimeUnit.MINUTES)).isEqualTo(10);
            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isGreaterThanOrEqualTo(100);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(phi.wrappingEpochs().current()).isEqualTo(11);
        assertThat(PhiProtection.open(SecurityConfig.development(dir)).wrappingEpochs())
                .isEqualTo(phi.wrappingEpochs());
    }
}
