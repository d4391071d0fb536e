package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValidationLimitsTest {

    @Test
    void defaultsAllowSixtyFourKibibytesAndEverythingTheSchemaAllows() {
        ValidationLimits d = ValidationLimits.defaults();

        assertThat(d.maxDocumentBytes()).isEqualTo(65_536);
        assertThat(d.maxDepth()).isGreaterThanOrEqualTo(3);
        assertThat(d.maxArrayItems()).isGreaterThanOrEqualTo(500);
        assertThat(d.maxStringLength()).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void rejectsImpossibleLimits() {
        assertThatThrownBy(() -> new ValidationLimits(0, 8, 10, 10)).isInstanceOf(TreatmentCoreException.class);
        assertThatThrownBy(() -> new ValidationLimits(Integer.MAX_VALUE, 8, 10, 10))
                .isInstanceOf(TreatmentCoreException.class);
        assertThatThrownBy(() -> new ValidationLimits(1024, 0, 10, 10)).isInstanceOf(TreatmentCoreException.class);
        assertThatThrownBy(() -> new ValidationLimits(1024, 8, 0, 10)).isInstanceOf(TreatmentCoreException.class);
        assertThatThrownBy(() -> new ValidationLimits(1024, 8, 10, 0)).isInstanceOf(TreatmentCoreException.class);
    }

    @Test
    void withMaxDocumentBytesKeepsTheOtherLimits() {
        ValidationLimits l = ValidationLimits.defaults().withMaxDocumentBytes(1024);

        assertThat(l).isEqualTo(new ValidationLimits(1024, 8, 1000, 4096));
    }
}
