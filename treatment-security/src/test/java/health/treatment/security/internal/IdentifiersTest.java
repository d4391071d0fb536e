package health.treatment.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifiersTest {

    // RFC 4648 section 10, lowercase, without padding.
    @ParameterizedTest
    @CsvSource({"'',''", "f,my", "fo,mzxq", "foo,mzxw6", "foob,mzxw6yq", "fooba,mzxw6ytb", "foobar,mzxw6ytboi"})
    void base32MatchesRfc4648Vectors(String input, String expected) {
        assertThat(Identifiers.base32(input.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(expected);
    }

    @Test
    void normalisationStripsComposesAndCaseFolds() {
        byte[] reference = Identifiers.normalise("mrn-émile-12");
        assertThat(Identifiers.normalise("  MRN-ÉMILE-12\t")).isEqualTo(reference);
        assertThat(Identifiers.normalise("mrn-e\u0301mile-12")).isEqualTo(reference);
        assertThat(Identifiers.normalise("mrn-emile-12")).isNotEqualTo(reference);
        assertThat(Identifiers.normalise("12 34")).isNotEqualTo(Identifiers.normalise("1234"));
    }

    @ParameterizedTest
    @CsvSource({"MRN-0012345678", "' ab.c:D/e_F '", "x", "Z9-._:/"})
    void asciiFastPathEqualsTheGeneralUnicodePath(String id) {
        String general = java.text.Normalizer.normalize(
                java.text.Normalizer.normalize(id.strip(), java.text.Normalizer.Form.NFC)
                        .toUpperCase(java.util.Locale.ROOT)
                        .toLowerCase(java.util.Locale.ROOT),
                java.text.Normalizer.Form.NFC);
        assertThat(Identifiers.normalise(id)).isEqualTo(general.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void blankIdentifierIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> Identifiers.normalise(" \t "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("patient identifier must not be blank");
    }
}
