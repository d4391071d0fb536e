package health.treatment.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordIdsTest {

    @Test
    void idsAreVersion7VariantRfcUuidsCarryingTheTimeAndAreUnique() {
        RecordIds ids = new RecordIds();
        long before = System.currentTimeMillis();
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            long millis = uuid.getMostSignificantBits() >>> 16;
            assertThat(millis).isBetween(before, System.currentTimeMillis());
            assertThat(seen.add(id)).isTrue();
            // Time-ordered at millisecond resolution: never smaller than the previous id's millisecond.
            assertThat(id.substring(0, 13).compareTo(previous.isEmpty() ? "" : previous.substring(0, 13)))
                    .isGreaterThanOrEqualTo(0);
            previous = id;
        }
    }
}
