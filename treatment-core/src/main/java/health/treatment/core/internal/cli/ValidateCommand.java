package health.treatment.core.internal.cli;

import health.treatment.core.TreatmentValidator;
import health.treatment.core.ValidationResult;
import health.treatment.core.Violation;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

/**
 * {@code java -jar treatment-core.jar validate FILE...}: prints one JSON object per file,
 * {@code {"file":"x.json","valid":true,"violations":[]}}. Exit status 0 when all files are valid, 1 when any is invalid,
 * 2 on a usage or I/O error (message on stderr; I/O errors take precedence over invalid files).
 */
public final class ValidateCommand {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int ERROR = 2;

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private static final String USAGE = "usage: java -jar treatment-core.jar validate FILE...";

    private ValidateCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status instead of exiting so that it can be tested in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !"validate".equals(args[0])) {
            err.println(USAGE);
            return ERROR;
        }
        TreatmentValidator validator = TreatmentValidator.createDefault();
        int status = OK;
        for (int i = 1; i < args.length; i++) {
            String file = args[i];
            ValidationResult result;
            try (InputStream in = Files.newInputStream(Paths.get(file))) {
                result = validator.validate(in);
            } catch (IOException | RuntimeException e) {
                // The exception type only: stderr must never carry anything read from the file.
                err.println("error: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                status = ERROR;
                continue;
            }
            out.println(line(file, result));
            if (!result.isValid() && status == OK) {
                status = INVALID;
            }
        }
        out.flush();
        return status;
    }

    static String line(String file, ValidationResult result) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject()
                    .write("file", file)
                    .write("valid", result.isValid())
                    .writeStartArray("violations");
            for (Violation v : result.violations()) {
                g.writeStartObject()
                        .write("pointer", v.pointer())
                        .write("code", v.code())
                        .write("message", v.message())
                        .writeEnd();
            }
            g.writeEnd().writeEnd();
        }
        return out.toString();
    }
}
