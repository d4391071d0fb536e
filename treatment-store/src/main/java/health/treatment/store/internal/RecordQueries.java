package health.treatment.store.internal;

import health.treatment.store.RecordSearch;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two ways to list records: a clinician's search (one patient or encounter, newest first, keyset-paged on
 * {@code (treatment_start, id)}) and the change feed (every record in feed order, see
 * {@code V4__search_and_change_feed.sql}). Both read encrypted rows; the caller opens them. Cursors are base64url of
 * a version tag and the position: opaque to clients, never an identifier.
 */
public final class RecordQueries {

    private static final Pattern SEARCH_CURSOR = Pattern.compile("s1:(-?\\d{1,19}):([0-9a-f-]{36})");
    private static final Pattern FEED_CURSOR = Pattern.compile("f1:(\\d{1,19})");

    private final RecordReader reader;
    private final StorageCrypto crypto;

    public RecordQueries(RecordReader reader, StorageCrypto crypto) {
        this.reader = reader;
        this.crypto = crypto;
    }

    /** One listed row and the cursor that points just past it. */
    public record Listed(RecordReader.Row row, String cursor) {}

    /** What a search matched by blind index: the pseudonym for a patient search, the encounter index otherwise. */
    public String searchKey(RecordSearch search) {
        return search.patientId()
                .map(id -> crypto.pseudonym(id).value())
                .orElseGet(() -> crypto.encounterIndex(search.encounterId().orElseThrow()));
    }

    /**
     * Up to {@code search.limit() + 1} rows, matched on {@code searchKey} (its {@link #searchKey}) (one more than a page, to tell whether there is a next page), newest
     * treatment first.
     *
     * @throws IllegalArgumentException if the cursor is not one a search returned
     */
    public List<Listed> search(Connection c, RecordSearch search, String searchKey) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(RecordReader.COLUMNS)
                .append(", r.treatment_start")
                .append(RecordReader.FROM)
                .append(search.patientId().isPresent() ? " WHERE r.patient_ref = ?" : " WHERE r.encounter_index = ?");
        search.from().ifPresent(f -> sql.append(" AND r.treatment_start >= ?"));
        search.to().ifPresent(t -> sql.append(" AND r.treatment_start <= ?"));
        search.machineId().ifPresent(m -> sql.append(" AND r.machine_id = ?"));
        Optional<Object[]> after = search.after().map(RecordQueries::searchPosition);
        after.ifPresent(a -> sql.append(" AND (r.treatment_start < ? OR (r.treatment_start = ? AND r.id < ?))"));
        sql.append(" ORDER BY r.treatment_start DESC, r.id DESC LIMIT ?");
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            select.setQueryTimeout(reader.statementTimeoutSeconds());
            int i = 1;
            select.setString(i++, searchKey);
            if (search.from().isPresent()) {
                select.setObject(i++, search.from().get());
            }
            if (search.to().isPresent()) {
                select.setObject(i++, search.to().get());
            }
            if (search.machineId().isPresent()) {
                select.setString(i++, search.machineId().get());
            }
            if (after.isPresent()) {
                select.setObject(i++, after.get()[0]);
                select.setObject(i++, after.get()[0]);
                select.setString(i++, (String) after.get()[1]);
            }
            select.setInt(i, search.limit() + 1);
            List<Listed> rows = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    OffsetDateTime start = r.getObject(RecordReader.COLUMN_COUNT + 1, OffsetDateTime.class);
                    rows.add(new Listed(reader.row(r), searchCursor(start, r.getString(1))));
                }
            }
            return rows;
        }
    }

    /**
     * Up to {@code limit} rows of the change feed after position {@code from} (0: from the start), in feed order.
     */
    public List<Listed> changes(Connection c, long from, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + RecordReader.COLUMNS + ", f.feed_seq"
                + " FROM record_feed f JOIN treatment_record r ON r.id = f.record_id"
                + " LEFT JOIN patient p ON p.patient_ref = r.patient_ref"
                + " WHERE f.feed_seq > ? ORDER BY f.feed_seq LIMIT ?")) {
            select.setQueryTimeout(reader.statementTimeoutSeconds());
            select.setLong(1, from);
            select.setInt(2, limit);
            List<Listed> rows = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.add(new Listed(reader.row(r), feedCursor(r.getLong(RecordReader.COLUMN_COUNT + 1))));
                }
            }
            return rows;
        }
    }

    /** The feed position a feed cursor points after (0 for the start). */
    public static long feedPosition(String cursor) {
        Matcher m = FEED_CURSOR.matcher(decode(cursor));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a change-feed cursor");
        }
        return Long.parseLong(m.group(1));
    }

    public static String feedCursor(long position) {
        return encode("f1:" + position);
    }

    private static String searchCursor(OffsetDateTime start, String id) {
        Instant i = start.toInstant();
        return encode("s1:" + (i.getEpochSecond() * 1_000_000 + i.getNano() / 1000) + ":" + id);
    }

    private static Object[] searchPosition(String cursor) {
        Matcher m = SEARCH_CURSOR.matcher(decode(cursor));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a search cursor");
        }
        long micros = Long.parseLong(m.group(1));
        OffsetDateTime start = Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L)
                .atOffset(ZoneOffset.UTC);
        return new Object[] {start, m.group(2)};
    }

    private static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String cursor) {
        if (cursor.length() > 100) {
            throw new IllegalArgumentException("cursor too long");
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor");
        }
    }
}
