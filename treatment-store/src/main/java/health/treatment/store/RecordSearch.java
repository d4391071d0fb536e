package health.treatment.store;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A clinician's search: the records of one patient or of one encounter, newest treatment first, optionally within a
 * period of {@code treatment_start} (both ends inclusive) and for one machine, a page of at most {@code limit}
 * records after the {@code after} cursor of the previous page. The identifier is matched through its keyed blind
 * index (the patient pseudonym, the encounter index): nothing is decrypted to filter.
 *
 * @param after the {@link RecordPage#next()} of the previous page of the same search
 */
public record RecordSearch(
        Optional<String> patientId,
        Optional<String> encounterId,
        Optional<OffsetDateTime> from,
        Optional<OffsetDateTime> to,
        Optional<String> machineId,
        int limit,
        Optional<String> after) {

    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;

    /**
     * @throws IllegalArgumentException if neither or both identifiers are given, {@code limit} is outside 1..100 or
     *     {@code from} is after {@code to}
     */
    public RecordSearch {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(encounterId, "encounterId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(after, "after");
        if (patientId.isPresent() == encounterId.isPresent()) {
            throw new IllegalArgumentException("exactly one of patientId and encounterId is required");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new IllegalArgumentException("from must not be after to");
        }
    }

    /** A search for one patient's records, first page, default limit. */
    public static RecordSearch forPatient(String patientId) {
        return new RecordSearch(
                Optional.of(patientId),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_LIMIT,
                Optional.empty());
    }

    /** A search for one encounter's records, first page, default limit. */
    public static RecordSearch forEncounter(String encounterId) {
        return new RecordSearch(
                Optional.empty(),
                Optional.of(encounterId),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_LIMIT,
                Optional.empty());
    }

    public RecordSearch withPeriod(Optional<OffsetDateTime> from, Optional<OffsetDateTime> to) {
        return new RecordSearch(patientId, encounterId, from, to, machineId, limit, after);
    }

    public RecordSearch withMachine(String machineId) {
        return new RecordSearch(patientId, encounterId, from, to, Optional.of(machineId), limit, after);
    }

    public RecordSearch withLimit(int limit) {
        return new RecordSearch(patientId, encounterId, from, to, machineId, limit, after);
    }

    public RecordSearch after(String cursor) {
        return new RecordSearch(patientId, encounterId, from, to, machineId, limit, Optional.of(cursor));
    }

    @Override
    public String toString() { // never the identifiers
        return "RecordSearch[" + (patientId.isPresent() ? "patient" : "encounter") + ", limit=" + limit + "]";
    }
}
