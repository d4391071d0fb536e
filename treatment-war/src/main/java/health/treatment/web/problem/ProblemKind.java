package health.treatment.web.problem;

/** The fixed vocabulary of problems: type URI, title, status and a default detail. */
public enum ProblemKind {
    BAD_REQUEST(400, "bad-request", "Bad request", "The request could not be understood."),
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON", "The request body is not well-formed JSON."),
    VALIDATION(400, "validation", "Invalid treatment record", "The request body violates the schema."),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized", "A valid bearer token is required."),
    FORBIDDEN(403, "forbidden", "Forbidden", "The caller is not allowed to perform this request."),
    NOT_FOUND(404, "not-found", "Not found", "The requested resource does not exist."),
    METHOD_NOT_ALLOWED(
            405, "method-not-allowed", "Method not allowed", "The method is not supported by this resource."),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable", "No acceptable representation is available."),
    REQUEST_TIMEOUT(408, "request-timeout", "Request timeout", "The request was not received in time."),
    CONFLICT(409, "conflict", "Conflict", "The request conflicts with the current state of the resource."),
    LENGTH_REQUIRED(411, "length-required", "Length required", "The request needs a body length."),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large", "The request body exceeds the size limit."),
    URI_TOO_LONG(414, "uri-too-long", "URI too long", "The request target is longer than the server accepts."),
    UNSUPPORTED_MEDIA_TYPE(
            415, "unsupported-media-type", "Unsupported media type", "The request body must be application/json."),
    TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests", "The rate limit is exceeded; retry later."),
    HEADERS_TOO_LARGE(
            431,
            "headers-too-large",
            "Request header fields too large",
            "The request header fields are larger than the server accepts."),
    INTERNAL(500, "internal", "Internal server error", "The server could not complete the request."),
    NOT_IMPLEMENTED(501, "not-implemented", "Not implemented", "This operation is not available yet."),
    UNAVAILABLE(503, "unavailable", "Service unavailable", "The service is temporarily unavailable; retry later.");

    private final int status;
    private final String slug;
    private final String title;
    private final String detail;

    ProblemKind(int status, String slug, String title, String detail) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String type() {
        return Problem.TYPE_BASE + slug;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The kind for a bare status; statuses we do not name map to the generic 4xx/5xx kind. */
    public static ProblemKind forStatus(int status) {
        for (ProblemKind k : values()) {
            if (k.status == status && k != MALFORMED_JSON && k != VALIDATION) {
                return k;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
