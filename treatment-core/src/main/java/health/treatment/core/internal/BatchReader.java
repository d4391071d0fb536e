package health.treatment.core.internal;

import health.treatment.core.BatchLimits;
import health.treatment.core.BatchValidation;
import health.treatment.core.TreatmentCoreException;
import health.treatment.core.ValidationLimits;
import health.treatment.core.ValidationResult;
import health.treatment.core.Violation;
import health.treatment.core.ViolationCodes;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Splits a batch body (a JSON array of records) into its items and validates each as a document of its own, with
 * the batch item schema (the record plus an optional {@code idempotency_key}). The body is read bounded, decoded
 * strictly, and scanned once by Parsson to find each item's extent (skipping, not building, its content); each item
 * is then validated exactly as a single submission would be, so an item's violations and their pointers are the
 * same as if it had been sent alone. A body that is not a well-formed array of at most {@code maxItems} elements is
 * refused as a whole: no item of it can be trusted to be what the client meant.
 */
public final class BatchReader {

    // The messages of a refused batch: fixed sentences, some naming a configured limit, never a submitted value.
    private static final String INVALID_UTF8 = "The batch is not valid UTF-8.";
    private static final String NOT_AN_ARRAY = "The batch must be a JSON array of treatment records.";
    private static final String TRAILING_CONTENT = "Only whitespace may follow the JSON array.";
    private static final String MALFORMED_JSON = "The batch is not well-formed JSON.";

    /**
     * Deepest nesting scanned in a body, its array being level 1: one more than any record may be configured to accept,
     * so that an item nested too deep for the record limit is still delimited and refused alone; deeper refuses the
     * batch. Below {@link ValidationEngine#PARSER_MAX_DEPTH}.
     */
    static final int MAX_DEPTH = 1002;

    private static final String TOO_DEEP =
            "Objects and arrays in the batch are nested deeper than the limit of " + MAX_DEPTH + " levels.";

    private final ValidationEngine items;
    private final BatchLimits limits;
    private final JsonParserFactory parserFactory;
    private final ValidationLimits itemLimits;

    /** @param items an engine for the batch item schema */
    public BatchReader(ValidationEngine items, BatchLimits limits) {
        this.items = items;
        this.limits = limits;
        this.parserFactory = items.parserFactory();
        this.itemLimits = items.limits();
    }

    public BatchValidation read(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(limits.maxBatchBytes() + 1);
        } catch (IOException e) {
            throw new TreatmentCoreException("I/O error while reading the batch", e);
        }
        if (bytes.length > limits.maxBatchBytes()) {
            return rejected(ViolationCodes.DOCUMENT_TOO_LARGE, tooLarge(limits));
        }
        char[] chars = decode(bytes);
        if (chars == null) {
            return rejected(ViolationCodes.INVALID_UTF8, INVALID_UTF8);
        }
        List<BatchValidation.Item> out = new ArrayList<>();
        try (JsonParser parser = parserFactory.createParser(new CharArrayReader(chars))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_ARRAY) {
                return rejected(ViolationCodes.NOT_AN_ARRAY, NOT_AN_ARRAY);
            }
            while (true) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_ARRAY) {
                    break;
                }
                if (out.size() >= limits.maxItems()) {
                    return rejected(ViolationCodes.TOO_MANY_ITEMS, tooManyItems(limits));
                }
                BatchValidation.Item item = item(out.size(), event, parser, chars);
                if (item == null) {
                    return rejected(ViolationCodes.TOO_DEEP, TOO_DEEP);
                }
                out.add(item);
            }
            boolean trailing;
            try {
                trailing = parser.hasNext();
            } catch (JsonException e) {
                trailing =
                        true; // Parsson refuses what follows the array: still trailing content, as for a single record
            }
            if (trailing) {
                return rejected(ViolationCodes.TRAILING_CONTENT, TRAILING_CONTENT);
            }
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            return rejected(ViolationCodes.MALFORMED_JSON, MALFORMED_JSON);
        }
        return new BatchValidation.Items(out);
    }

    /** The item that starts with {@code event}; null when it is nested deeper than {@link #MAX_DEPTH}. */
    private BatchValidation.Item item(int index, JsonParser.Event event, JsonParser parser, char[] chars) {
        if (event != JsonParser.Event.START_OBJECT) {
            if (event == JsonParser.Event.START_ARRAY && !skipContainer(parser)) {
                return null;
            }
            return new BatchValidation.Item(index, Optional.empty(), invalid("", ViolationCodes.NOT_AN_OBJECT));
        }
        // Parsson's stream offset is the position just after the current event's last character.
        int start = (int) parser.getLocation().getStreamOffset() - 1;
        if (!skipContainer(parser)) {
            return null;
        }
        int end = (int) parser.getLocation().getStreamOffset();
        if (utf8Length(chars, start, end) > itemLimits.maxDocumentBytes()) {
            return new BatchValidation.Item(index, Optional.empty(), invalid("", ViolationCodes.DOCUMENT_TOO_LARGE));
        }
        ValidationEngine.Item item = items.validateItem(chars, start, end - start, BatchItemSchema.IDEMPOTENCY_KEY);
        return new BatchValidation.Item(index, Optional.ofNullable(item.rootMember()), item.result());
    }

    /** Every message a {@link BatchValidation.Rejected} from a reader with these limits can carry. */
    public static Set<String> rejectionSentences(BatchLimits limits) {
        return Set.of(
                tooLarge(limits),
                tooManyItems(limits),
                INVALID_UTF8,
                NOT_AN_ARRAY,
                TRAILING_CONTENT,
                MALFORMED_JSON,
                TOO_DEEP);
    }

    private static String tooLarge(BatchLimits limits) {
        return "The batch is larger than the limit of " + limits.maxBatchBytes() + " bytes.";
    }

    private static String tooManyItems(BatchLimits limits) {
        return "The batch has more than the limit of " + limits.maxItems() + " records.";
    }

    /**
     * Reads past the end of the object or array just started, building nothing. Not Parsson's skipObject/skipArray:
     * when the body ends inside the container they never return (found by fuzzing: the body <code>[{"a": 1</code> kept a
     * thread busy forever), and they do not check that brackets match. {@code next()} throws on both: the batch is
     * refused as malformed. False when the item is nested deeper than {@link #MAX_DEPTH}.
     */
    private static boolean skipContainer(JsonParser parser) {
        int depth = 1; // the item; the array is one level up
        while (depth > 0) {
            switch (parser.next()) {
                case START_OBJECT:
                case START_ARRAY:
                    if (++depth + 1 > MAX_DEPTH) {
                        return false;
                    }
                    break;
                case END_OBJECT:
                case END_ARRAY:
                    depth--;
                    break;
                default:
                    break;
            }
        }
        return true;
    }

    private ValidationResult invalid(String pointer, String code) {
        return new ValidationResult.Invalid(List.of(items.violation(pointer, code)));
    }

    private static BatchValidation rejected(String code, String message) {
        return new BatchValidation.Rejected(new Violation("", code, message));
    }

    /** Strict UTF-8 (ASCII without a decoder); null when the bytes are not UTF-8. */
    private static char[] decode(byte[] bytes) {
        char[] ascii = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                try {
                    CharBuffer chars = StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes));
                    char[] out = new char[chars.remaining()];
                    chars.get(out);
                    return out;
                } catch (CharacterCodingException e) {
                    return null;
                }
            }
            ascii[i] = (char) bytes[i];
        }
        return ascii;
    }

    /** Bytes the chars take in UTF-8 (what the per-record limit counts on the wire). */
    private static long utf8Length(char[] chars, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = chars[i];
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
