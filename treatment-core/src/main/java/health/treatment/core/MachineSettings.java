package health.treatment.core;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Machine settings and readings of a treatment, each optional, in the fixed units the schema documents. Values are
 * kept as {@link BigDecimal} exactly as submitted so that {@link TreatmentRecord#toJson()} round-trips.
 *
 * @param ufVolume ultrafiltration volume, L
 * @param ufRate ultrafiltration rate, mL/h
 * @param conductivity dialysate conductivity, mS/cm
 * @param bloodFlow blood pump flow, mL/min
 * @param dialysateFlow dialysate flow, mL/min
 * @param dialysateTemperature dialysate temperature, degrees Celsius
 * @param arterialPressure arterial line pressure, mmHg
 * @param venousPressure venous line pressure, mmHg
 */
public record MachineSettings(
        Optional<BigDecimal> ufVolume,
        Optional<BigDecimal> ufRate,
        Optional<BigDecimal> conductivity,
        Optional<BigDecimal> bloodFlow,
        Optional<BigDecimal> dialysateFlow,
        Optional<BigDecimal> dialysateTemperature,
        Optional<BigDecimal> arterialPressure,
        Optional<BigDecimal> venousPressure) {

    private static final MachineSettings NONE = new MachineSettings(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public MachineSettings {
        Objects.requireNonNull(ufVolume, "ufVolume");
        Objects.requireNonNull(ufRate, "ufRate");
        Objects.requireNonNull(conductivity, "conductivity");
        Objects.requireNonNull(bloodFlow, "bloodFlow");
        Objects.requireNonNull(dialysateFlow, "dialysateFlow");
        Objects.requireNonNull(dialysateTemperature, "dialysateTemperature");
        Objects.requireNonNull(arterialPressure, "arterialPressure");
        Objects.requireNonNull(venousPressure, "venousPressure");
    }

    /** No settings reported. */
    public static MachineSettings none() {
        return NONE;
    }
}
