package health.treatment.core.internal;

import health.treatment.core.TreatmentCoreException;
import health.treatment.core.TreatmentSchema;
import health.treatment.core.ValidationLimits;
import health.treatment.core.ValidationResult;
import health.treatment.core.Violation;
import health.treatment.core.ViolationCodes;
import jakarta.json.JsonException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.leadpony.justify.api.JsonSchema;
import org.leadpony.justify.api.JsonValidationService;
import org.leadpony.justify.api.Problem;

/**
 * The validation pipeline behind {@link health.treatment.core.TreatmentValidator}: one streaming pass over a bounded,
 * strictly decoded input, with Justify validating the schema while this class observes the same parser events to
 * enforce the resource limits, reject duplicate keys and build a plain tree; then the cross-field rules and binding.
 * Immutable and thread-safe; all per-document state lives in a {@link Pass}.
 */
public final class ValidationEngine {

    /**
     * Parsson's own nesting limit (1000 by default), beyond which it throws a plain RuntimeException: set above every
     * depth the engine or a batch scan accepts (at most 1000 per record, see {@link ValidationLimits}; a batch adds its
     * array), so that those limits are always reached first and reported as violations. Other providers ignore it.
     */
    static final int PARSER_MAX_DEPTH = 1010;

    private final ValidationLimits limits;
    private final JsonValidationService service;
    private final JsonSchema schema;
    private final JsonParserFactory parserFactory;
    private final Messages messages;
    /**
     * True when Justify runs the {@link ValidationSchema} (the date-time formats and the root anyOf are evaluated by
     * {@link Pass}); false only for the reference engine of the equivalence tests, which runs the published schema as is.
     */
    private final boolean ownChecks;
    /** What the engine checks itself; null when {@code ownChecks} is false. */
    private final ValidationSchema validationSchema;

    public ValidationEngine(ValidationLimits limits) {
        this(limits, true, TreatmentSchema.json());
    }

    /** An engine for another published schema built on the record schema (the batch item schema). */
    public ValidationEngine(ValidationLimits limits, String publishedSchema) {
        this(limits, true, publishedSchema);
    }

    /** {@code ownChecks == false}: Justify validates the published schema unchanged (reference for tests). */
    ValidationEngine(ValidationLimits limits, boolean ownChecks) {
        this(limits, ownChecks, TreatmentSchema.json());
    }

    private ValidationEngine(ValidationLimits limits, boolean ownChecks, String publishedSchema) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ownChecks = ownChecks;
        JsonProvider provider;
        try {
            provider = JsonProvider.provider();
        } catch (JsonException e) {
            throw new TreatmentCoreException("no Jakarta JSON Processing provider (e.g. Parsson) on the class path", e);
        }
        this.service = JsonValidationService.newInstance(provider);
        this.validationSchema = ownChecks ? new ValidationSchema(provider, service, publishedSchema) : null;
        this.schema = service.readSchema(new StringReader(ownChecks ? validationSchema.json : publishedSchema));
        // One factory for all parsers: creating parsers through the provider re-reads its configuration every time.
        this.parserFactory = provider.createParserFactory(Map.of("org.eclipse.parsson.maxDepth", PARSER_MAX_DEPTH));
        this.messages = new Messages(limits);
    }

    public ValidationLimits limits() {
        return limits;
    }

    JsonParserFactory parserFactory() {
        return parserFactory;
    }

    public ValidationResult validate(byte[] document) {
        Objects.requireNonNull(document, "document");
        if (document.length > limits.maxDocumentBytes()) {
            return tooLarge();
        }
        Reader reader = asciiReader(document);
        if (reader == null) {
            CharBuffer chars;
            try {
                chars = strictUtf8().decode(ByteBuffer.wrap(document));
            } catch (CharacterCodingException e) {
                // Rare path: the stream path reports invalid UTF-8 together with whatever it found before the bad
                // bytes.
                return validate(new ByteArrayInputStream(document));
            }
            reader = new CharArrayReader(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
        }
        Pass pass = new Pass();
        try {
            pass.run(parse(reader, pass));
        } catch (IOException e) {
            throw new TreatmentCoreException(
                    "I/O error while reading the document", e); // cannot happen for a char array
        }
        return pass.result();
    }

    public ValidationResult validate(InputStream document) {
        Objects.requireNonNull(document, "document");
        BoundedInputStream bounded = new BoundedInputStream(document, limits.maxDocumentBytes());
        Reader reader = new InputStreamReader(bounded, strictUtf8());
        Pass pass = new Pass();
        try {
            pass.run(parse(reader, pass));
        } catch (DocumentTooLargeException e) {
            return tooLarge();
        } catch (IOException e) {
            throw new TreatmentCoreException("I/O error while reading the document", e);
        }
        if (!pass.complete) {
            // A document that failed early may still be over the limit; the size decides the outcome (HTTP 413 first).
            try {
                bounded.drain();
            } catch (DocumentTooLargeException e) {
                return tooLarge();
            } catch (IOException e) {
                throw new TreatmentCoreException("I/O error while reading the document", e);
            }
        }
        return pass.result();
    }

    /** One item of a batch: its result and, when valid, the value of a string member of its root (or null). */
    public record Item(ValidationResult result, String rootMember) {}

    /**
     * Validates {@code length} chars of an already decoded batch body as one document (the caller checked their UTF-8
     * size against the limit) and returns the string value of the root member {@code memberName}, if the document is
     * valid and has one.
     */
    public Item validateItem(char[] chars, int offset, int length, String memberName) {
        Pass pass = new Pass();
        try {
            pass.run(parse(new CharArrayReader(chars, offset, length), pass));
        } catch (IOException e) {
            throw new TreatmentCoreException(
                    "I/O error while reading the document", e); // cannot happen for a char array
        }
        ValidationResult result = pass.result();
        String member = null;
        if (result.isValid() && pass.root instanceof Map<?, ?> root && root.get(memberName) instanceof String s) {
            member = s;
        }
        return new Item(result, member);
    }

    /** Every message a violation from this engine can carry (fixed sentences; some name a configured limit). */
    public Set<String> sentences() {
        return messages.sentences();
    }

    /** A violation of the whole document, with this engine's fixed message for the code. */
    public Violation violation(String pointer, String code) {
        return new Violation(pointer, code, messages.of(code));
    }

    /**
     * The usual case, all bytes below 0x80: such input is valid UTF-8 and decodes to the same chars byte for byte, so it
     * needs no decoder. Null when some byte is not ASCII (then the strict decoder decides).
     */
    private static Reader asciiReader(byte[] document) {
        char[] chars = new char[document.length];
        for (int i = 0; i < document.length; i++) {
            byte b = document[i];
            if (b < 0) {
                return null;
            }
            chars[i] = (char) b;
        }
        return new CharArrayReader(chars);
    }

    /** REPORT, not Parsson's lenient decoding: a malformed byte sequence must reject the document, not become U+FFFD. */
    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Justify validates the events of our Parsson parser while {@link Pass} observes the same events. */
    private JsonParser parse(Reader reader, Pass pass) {
        return service.createParser(parserFactory.createParser(reader), schema, pass::onProblems);
    }

    private ValidationResult tooLarge() {
        return new ValidationResult.Invalid(List.of(
                new Violation("", ViolationCodes.DOCUMENT_TOO_LARGE, messages.of(ViolationCodes.DOCUMENT_TOO_LARGE))));
    }

    /** An open object or array while streaming. */
    private static final class Frame {
        final String pointer;
        final Map<String, Object> object;
        final List<Object> array;
        String key;
        private String keyPointer;
        boolean tooMany;
        /** Values seen in this array, including those beyond the global item limit (Justify's index of the next). */
        int count;

        Frame(String pointer, boolean isArray) {
            this.pointer = pointer;
            this.object = isArray ? null : new LinkedHashMap<>();
            this.array = isArray ? new ArrayList<>() : null;
        }

        /** Pointer of the value about to be added to this container. */
        String childPointer() {
            return array != null ? pointer + "/" + array.size() : keyPointer();
        }

        /** Sets the current member name; its pointer is built only if a problem needs it. */
        void key(String name) {
            key = name;
            keyPointer = null;
        }

        /** Pointer of the current member, null before the first name. */
        String keyPointer() {
            if (keyPointer == null && key != null) {
                keyPointer = Pointers.child(pointer, key);
            }
            return keyPointer;
        }
    }

    /** The state of one validation. */
    private final class Pass {
        /** Created on the first problem: most documents are valid. */
        private Map<String, Violation> violations;

        private final ArrayList<Frame> stack = new ArrayList<>();
        private Object root;
        boolean complete;

        void onProblems(List<Problem> problems) {
            for (Problem p : problems) {
                ProblemMapping.map(p, this::add);
            }
        }

        void add(String pointer, String code) {
            add(pointer, code, messages.of(code));
        }

        void add(String pointer, String code, String message) {
            String p = Pointers.sanitize(pointer);
            if (violations == null) {
                violations = new LinkedHashMap<>();
            }
            violations.putIfAbsent(p + '\u0000' + code, new Violation(p, code, message));
        }

        void remove(String pointer, String code) {
            if (violations != null) {
                violations.remove(pointer + '\u0000' + code);
            }
        }

        boolean has(String pointer, String code) {
            return violations != null && violations.containsKey(pointer + '\u0000' + code);
        }

        private boolean noViolations() {
            return violations == null || violations.isEmpty();
        }

        /**
         * Streams the whole document; returns normally on a fatal problem after recording it. Closes the parser: that
         * returns Parsson's 8 KiB buffer to its pool (the caller's stream stays open, see {@link BoundedInputStream}).
         */
        void run(JsonParser parser) throws IOException {
            try (parser) {
                runOpen(parser);
            } catch (JsonException e) {
                // Closing failed, after the document was already judged; nothing to add.
            }
        }

        private void runOpen(JsonParser parser) throws IOException {
            try {
                while (true) {
                    JsonParser.Event event = parser.next();
                    if (!onEvent(parser, event)) {
                        return;
                    }
                    if (stack.isEmpty()) {
                        break;
                    }
                }
                try {
                    if (parser.hasNext()) {
                        add("", ViolationCodes.TRAILING_CONTENT);
                        return;
                    }
                } catch (JsonException e) {
                    if (!isEncodingError(e)) {
                        add("", ViolationCodes.TRAILING_CONTENT);
                    }
                    return;
                }
                complete = true;
            } catch (JsonException | NoSuchElementException e) {
                if (!isEncodingError(e)) {
                    add(currentPointer(), ViolationCodes.MALFORMED_JSON);
                }
            } catch (UnsupportedOperationException | ArithmeticException | NumberFormatException e) {
                // Parsson refuses number literals beyond its length limits: a resource limit, not a syntax error.
                add(currentValuePointer(), ViolationCodes.TOO_LONG);
            }
        }

        /**
         * Sorts I/O failures out of parser exceptions: too large and the caller's own I/O errors are rethrown; invalid
         * UTF-8 is recorded and reported as handled.
         */
        private boolean isEncodingError(RuntimeException e) throws IOException {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof DocumentTooLargeException) {
                    throw (DocumentTooLargeException) t;
                }
                if (t instanceof CharacterCodingException) {
                    add("", ViolationCodes.INVALID_UTF8);
                    return true;
                }
                if (t instanceof IOException) {
                    throw (IOException) t;
                }
            }
            return false;
        }

        private boolean onEvent(JsonParser parser, JsonParser.Event event) {
            switch (event) {
                case START_OBJECT:
                case START_ARRAY: {
                    boolean isArray = event == JsonParser.Event.START_ARRAY;
                    if (stack.isEmpty() && root == null && isArray) {
                        add("", ViolationCodes.NOT_AN_OBJECT);
                        return false;
                    }
                    String pointer = stack.isEmpty() ? "" : top().childPointer();
                    if (stack.size() + 1 > limits.maxDepth()) {
                        add(pointer, ViolationCodes.TOO_DEEP);
                        return false;
                    }
                    Frame frame = new Frame(pointer, isArray);
                    Object container = isArray ? frame.array : frame.object;
                    if (stack.isEmpty()) {
                        root = container;
                    } else {
                        addValue(container);
                    }
                    stack.add(frame);
                    return true;
                }
                case END_OBJECT:
                    if (ownChecks && stack.size() == 1) {
                        // The published schema's root anyOf, evaluated by Justify on this same event.
                        Map<String, Object> object = top().object;
                        if (!object.containsKey("patient_id") && !object.containsKey("encounter_id")) {
                            for (String pointer : ValidationSchema.IDENTIFIER_POINTERS) {
                                add(pointer, ViolationCodes.IDENTIFIER_REQUIRED);
                            }
                        }
                    }
                    stack.remove(stack.size() - 1);
                    return true;
                case END_ARRAY:
                    stack.remove(stack.size() - 1);
                    return true;
                case KEY_NAME: {
                    Frame frame = top();
                    String key = parser.getString();
                    frame.key(key);
                    if (key.length() > limits.maxStringLength()) {
                        add(frame.pointer, ViolationCodes.TOO_LONG, messages.stringLimit());
                    }
                    if (frame.object.containsKey(key)) {
                        add(frame.keyPointer(), ViolationCodes.DUPLICATE_KEY);
                    }
                    return true;
                }
                case VALUE_STRING: {
                    if (stack.isEmpty()) {
                        add("", ViolationCodes.NOT_AN_OBJECT);
                        return false;
                    }
                    String s = parser.getString();
                    if (s.length() > limits.maxStringLength()) {
                        add(top().childPointer(), ViolationCodes.TOO_LONG, messages.stringLimit());
                    }
                    if (ownChecks) {
                        checkString(s);
                    }
                    addValue(s);
                    return true;
                }
                case VALUE_NUMBER:
                    if (stack.isEmpty()) {
                        add("", ViolationCodes.NOT_AN_OBJECT);
                        return false;
                    }
                    addValue(parser.getBigDecimal());
                    return true;
                case VALUE_TRUE:
                case VALUE_FALSE:
                case VALUE_NULL:
                    if (stack.isEmpty()) {
                        add("", ViolationCodes.NOT_AN_OBJECT);
                        return false;
                    }
                    addValue(event == JsonParser.Event.VALUE_NULL ? Tree.NULL : event == JsonParser.Event.VALUE_TRUE);
                    return true;
                default:
                    throw new IllegalStateException("unexpected parser event " + event);
            }
        }

        /**
         * The keywords of the published schema that {@link ValidationSchema} took out of Justify's hands (date-time format,
         * patterns), for a string about to be added at the top of the stack: a member of the root, an item of an array
         * member of the root, or a member of an object item of an array member of the root. Justify's pointer.
         */
        private void checkString(String s) {
            int depth = stack.size();
            ValidationSchema.StringCheck check;
            String pointer;
            if (depth == 1) {
                Frame root = stack.get(0);
                check = validationSchema.rootMembers.get(root.key);
                if (check == null || check.test(s)) {
                    return;
                }
                pointer = root.keyPointer();
            } else if (depth == 2) {
                Frame items = stack.get(1);
                if (items.array == null) {
                    return;
                }
                check = validationSchema.rootArrayItems.get(stack.get(0).key);
                if (check == null || check.test(s)) {
                    return;
                }
                pointer = stack.get(0).keyPointer() + "/" + items.count;
            } else if (depth == 3) {
                Frame item = stack.get(2);
                if (item.object == null || stack.get(1).array == null) {
                    return;
                }
                Map<String, ValidationSchema.StringCheck> members =
                        validationSchema.rootArrayItemMembers.get(stack.get(0).key);
                check = members == null ? null : members.get(item.key);
                if (check == null || check.test(s)) {
                    return;
                }
                pointer = Pointers.child(stack.get(0).keyPointer() + "/" + (stack.get(1).count - 1), item.key);
            } else {
                return;
            }
            add(pointer, check.code);
        }

        private void addValue(Object value) {
            Frame frame = top();
            if (frame.array != null) {
                frame.count++;
                if (frame.array.size() >= limits.maxArrayItems()) {
                    if (!frame.tooMany) {
                        frame.tooMany = true;
                        add(frame.pointer, ViolationCodes.TOO_MANY_ITEMS, messages.arrayLimit());
                    }
                    return; // counted, not kept: the tree stays bounded by the limit
                }
                frame.array.add(value);
            } else {
                // First occurrence wins; the duplicate is already reported.
                frame.object.putIfAbsent(frame.key, value);
            }
        }

        private Frame top() {
            return stack.get(stack.size() - 1);
        }

        private String currentPointer() {
            return stack.isEmpty() ? "" : top().pointer;
        }

        private String currentValuePointer() {
            if (stack.isEmpty()) {
                return "";
            }
            Frame f = top();
            String keyPointer = f.array != null ? null : f.keyPointer();
            return keyPointer == null ? f.pointer + (f.array != null ? "/" + f.array.size() : "") : keyPointer;
        }

        ValidationResult result() {
            if (complete && root instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) root;
                CrossFieldRules.Dates dates = CrossFieldRules.check(object, new CrossFieldRules.Sink() {
                    @Override
                    public void add(String pointer, String code) {
                        Pass.this.add(pointer, code);
                    }

                    @Override
                    public void remove(String pointer, String code) {
                        Pass.this.remove(pointer, code);
                    }

                    @Override
                    public boolean has(String pointer, String code) {
                        return Pass.this.has(pointer, code);
                    }
                });
                if (noViolations()) {
                    return new ValidationResult.Valid(RecordBinder.bind(object, dates));
                }
            }
            if (noViolations()) {
                // Cannot happen: an incomplete pass always records why. Kept so a bug yields Invalid, never a bogus
                // Valid.
                add("", ViolationCodes.MALFORMED_JSON);
            }
            if (has("", ViolationCodes.NOT_AN_OBJECT)) {
                remove("", ViolationCodes.TYPE);
            }
            return new ValidationResult.Invalid(new ArrayList<>(violations.values()));
        }
    }
}
