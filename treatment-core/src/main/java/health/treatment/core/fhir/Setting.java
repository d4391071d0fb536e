package health.treatment.core.fhir;

import health.treatment.core.MachineSettings;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;

/**
 * The machine settings of a record as Observations: each with its code in our local code system, a standard coding
 * where an established code exists, and the UCUM unit of the schema. docs/fhir-mapping.md lists the same table.
 */
enum Setting {
    UF_VOLUME("uf-volume", "Ultrafiltration volume", "L", "L", MachineSettings::ufVolume),
    UF_RATE("uf-rate", "Ultrafiltration rate", "mL/h", "mL/h", MachineSettings::ufRate),
    CONDUCTIVITY("dialysate-conductivity", "Dialysate conductivity", "mS/cm", "mS/cm", MachineSettings::conductivity),
    BLOOD_FLOW(
            "blood-flow",
            "Blood pump flow",
            "mL/min",
            "mL/min",
            MachineSettings::bloodFlow,
            new StandardCoding(Codes.SNOMED_CT, "401000124105", "Hemodialysis blood flow")),
    DIALYSATE_FLOW("dialysate-flow", "Dialysate flow", "mL/min", "mL/min", MachineSettings::dialysateFlow),
    DIALYSATE_TEMPERATURE(
            "dialysate-temperature", "Dialysate temperature", "Cel", "°C", MachineSettings::dialysateTemperature),
    ARTERIAL_PRESSURE(
            "arterial-pressure", "Arterial line pressure", "mm[Hg]", "mmHg", MachineSettings::arterialPressure),
    VENOUS_PRESSURE("venous-pressure", "Venous line pressure", "mm[Hg]", "mmHg", MachineSettings::venousPressure);

    /** A coding of a published code system, next to ours. */
    record StandardCoding(String system, String code, String display) {}

    final String code;
    final String display;
    final String ucum;
    final String unit;
    final Optional<StandardCoding> standard;
    private final Function<MachineSettings, Optional<BigDecimal>> value;

    Setting(
            String code,
            String display,
            String ucum,
            String unit,
            Function<MachineSettings, Optional<BigDecimal>> value) {
        this(code, display, ucum, unit, value, null);
    }

    Setting(
            String code,
            String display,
            String ucum,
            String unit,
            Function<MachineSettings, Optional<BigDecimal>> value,
            StandardCoding standard) {
        this.code = code;
        this.display = display;
        this.ucum = ucum;
        this.unit = unit;
        this.value = value;
        this.standard = Optional.ofNullable(standard);
    }

    Optional<BigDecimal> valueIn(MachineSettings settings) {
        return value.apply(settings);
    }
}
