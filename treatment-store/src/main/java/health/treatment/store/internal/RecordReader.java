package health.treatment.store.internal;

import health.treatment.security.PhiDecryptionException;
import health.treatment.store.StoredTreatment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Reads stored records with their patients' wrapped keys (one statement) and opens them. */
public final class RecordReader {

    /** The columns {@link #row} reads, first in a select. */
    static final String COLUMNS =
            "r.id, r.machine_id, r.received_at, r.document_cipher, r.patient_ref, " + "p.wrapped_data_key";
    /** The tables {@link #COLUMNS} come from. */
    static final String FROM = " FROM treatment_record r LEFT JOIN patient p ON p.patient_ref = r.patient_ref";
    /** How many columns {@link #row} reads. */
    static final int COLUMN_COUNT = 6;

    private static final String SELECT = "SELECT " + COLUMNS + FROM + " WHERE r.id = ?";

    private final StorageCrypto crypto;
    private final int statementTimeoutSeconds;

    public RecordReader(StorageCrypto crypto, int statementTimeoutSeconds) {
        this.crypto = crypto;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    /** A stored row, still encrypted. */
    public final class Row {
        private final String id;
        private final String machineId;
        private final OffsetDateTime receivedAt;
        private final byte[] documentCipher;
        private final String patientRef;
        private final byte[] patientKey;

        private Row(
                String id,
                String machineId,
                OffsetDateTime receivedAt,
                byte[] documentCipher,
                String patientRef,
                byte[] patientKey) {
            this.id = id;
            this.machineId = machineId;
            this.receivedAt = receivedAt;
            this.documentCipher = documentCipher;
            this.patientRef = patientRef;
            this.patientKey = patientKey;
        }

        /** Decrypts the document. */
        public StoredTreatment open() throws PhiDecryptionException {
            return new StoredTreatment(
                    id, machineId, receivedAt, crypto.openDocument(id, patientRef, patientKey, documentCipher));
        }
    }

    /** The row at the result set's current position, from the first {@link #COLUMN_COUNT} columns. */
    Row row(ResultSet r) throws SQLException {
        return new Row(
                r.getString(1),
                r.getString(2),
                r.getObject(3, OffsetDateTime.class),
                r.getBytes(4),
                r.getString(5),
                r.getBytes(6));
    }

    int statementTimeoutSeconds() {
        return statementTimeoutSeconds;
    }

    public Optional<Row> read(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT)) {
            select.setQueryTimeout(statementTimeoutSeconds);
            select.setString(1, id);
            try (ResultSet r = select.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(row(r));
            }
        }
    }
}
