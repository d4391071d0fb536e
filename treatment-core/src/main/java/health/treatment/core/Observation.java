package health.treatment.core;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One coded reading, e.g. from a vital-sign monitor.
 *
 * @param system code system URI, e.g. {@code http://loinc.org}
 * @param code code within the system
 * @param value measured value in {@code unit}
 * @param unit UCUM unit code
 * @param time when the reading was taken
 */
public record Observation(String system, String code, BigDecimal value, String unit, OffsetDateTime time) {

    public Observation {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(time, "time");
        if (system.isEmpty() || code.isEmpty() || unit.isEmpty()) {
            throw new TreatmentCoreException("observation system, code and unit must not be empty");
        }
    }
}
