package health.treatment.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class NameBasedUuidTest {

    /** RFC 4122's DNS namespace; the expected value is what Python's uuid.uuid5 gives for the same input. */
    @Test
    void matchesTheRfc4122Algorithm() {
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(NameBasedUuid.v5(dns, "www.example.com"))
                .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
        assertThat(NameBasedUuid.v5(dns, "www.example.com").version()).isEqualTo(5);
        assertThat(NameBasedUuid.v5(dns, "www.example.com").variant()).isEqualTo(2);
    }
}
