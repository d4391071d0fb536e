package health.treatment.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of records (decrypted) from a search or the change feed, and the cursor of the next page: for a search,
 * empty when this was the last page; for the change feed always present (the position after this page, to poll with
 * for records stored later). Cursors are opaque: they hold positions, never an identifier.
 */
public record RecordPage(List<StoredTreatment> records, Optional<String> next) {

    public RecordPage {
        records = List.copyOf(records);
        Objects.requireNonNull(next, "next");
    }
}
