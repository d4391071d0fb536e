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

/**
 * Splits a batch body (a JSON array of records) into its items and validates each as a document of its own, with
 * the batch item schema (the record plus an optional {@code idempotency_key}). The body is read bounded, decoded
 * strictly, and scanned once by Parsson to find each item's extent (skipping, not building, its content); each item
 * is then validated exactly as a single submission would be, so an item's violations and their pointers are the
 * same as if it had been sent alone. A body that is not a well-formed array of at most {@code maxItems} elements is
 * refused as a whole: no item of it can be trusted to be what the client meant.
 */
public final class BatchReader {

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
      return rejected(ViolationCodes.DOCUMENT_TOO_LARGE,
          "The batch is larger than the limit of " + limits.maxBatchBytes() + " bytes.");
    }
    char[] chars = decode(bytes);
    if (chars == null) {
      return rejected(ViolationCodes.INVALID_UTF8, "The batch is not valid UTF-8.");
    }
    List<BatchValidation.Item> out = new ArrayList<>();
    try (JsonParser parser = parserFactory.createParser(new CharArrayReader(chars))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_ARRAY) {
        return rejected(ViolationCodes.NOT_AN_ARRAY, "The batch must be a JSON array of treatment records.");
      }
      while (true) {
        JsonParser.Event event = parser.next();
        if (event == JsonParser.Event.END_ARRAY) {
          break;
        }
        if (out.size() >= limits.maxItems()) {
          return rejected(ViolationCodes.TOO_MANY_ITEMS,
              "The batch has more than the limit of " + limits.maxItems() + " records.");
        }
        out.add(item(out.size(), event, parser, chars));
      }
      boolean trailing;
      try {
        trailing = parser.hasNext();
      } catch (JsonException e) {
        trailing = true; // Parsson refuses what follows the array: still trailing content, as for a single record
      }
      if (trailing) {
        return rejected(ViolationCodes.TRAILING_CONTENT, "Only whitespace may follow the JSON array.");
      }
    } catch (JsonException | NoSuchElementException | IllegalStateException e) {
      return rejected(ViolationCodes.MALFORMED_JSON, "The batch is not well-formed JSON.");
    }
    return new BatchValidation.Items(out);
  }

  private BatchValidation.Item item(int index, JsonParser.Event event, JsonParser parser, char[] chars) {
    if (event != JsonParser.Event.START_OBJECT) {
      if (event == JsonParser.Event.START_ARRAY) {
        parser.skipArray();
      }
      return new BatchValidation.Item(index, Optional.empty(), invalid("", ViolationCodes.NOT_AN_OBJECT));
    }
    // Parsson's stream offset is the position just after the current event's last character.
    int start = (int) parser.getLocation().getStreamOffset() - 1;
    parser.skipObject();
    int end = (int) parser.getLocation().getStreamOffset();
    if (utf8Length(chars, start, end) > itemLimits.maxDocumentBytes()) {
      return new BatchValidation.Item(index, Optional.empty(), invalid("", ViolationCodes.DOCUMENT_TOO_LARGE));
    }
    ValidationEngine.Item item = items.validateItem(chars, start, end - start, BatchItemSchema.IDEMPOTENCY_KEY);
    return new BatchValidation.Item(index, Optional.ofNullable(item.rootMember()), item.result());
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
          CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
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
