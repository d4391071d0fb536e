package health.treatment.security;

import java.util.Objects;

/**
 * Where an encrypted value lives: the record (internal reference, never a patient identifier) and the field name. Used as
 * AEAD associated data, so a ciphertext copied to another record or field fails to decrypt. The associated data is an
 * unambiguous length-prefixed encoding (a domain tag, then record id, then field, each as a 4-byte big-endian length
 * and UTF-8 bytes), so ("ab","c") and ("a","bc") differ.
 *
 * @param recordId internal record id; non-blank
 * @param field field name; non-blank
 */
public record FieldBinding(String recordId, String field) {

    public FieldBinding {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(field, "field");
        if (recordId.isBlank()) {
            throw new IllegalArgumentException("recordId must not be blank");
        }
        if (field.isBlank()) {
            throw new IllegalArgumentException("field must not be blank");
        }
    }
}
