package dev.vantage.coordinator.api;

/**
 * A request the API refuses, carried to {@link ProblemMapper} which answers it as an RFC 7807 problem.
 * {@code field} and {@code value} name what was wrong so a client (or a person) can fix exactly that.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final String value;

    public ApiProblem(int status, String title, String detail, String field, String value) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.value = value;
    }

    /** 400: a parameter or field has a value the API does not accept. */
    public static ApiProblem badRequest(String field, Object value, String detail) {
        return new ApiProblem(400, "Invalid request", detail, field, value == null ? null : String.valueOf(value));
    }

    /** 404: the thing does not exist, or the caller may not know that it exists. */
    public static ApiProblem notFound(String what, String id) {
        return new ApiProblem(404, "Not found", "no " + what + " '" + id + "'", null, id);
    }

    /** 409: the request conflicts with the current state. */
    public static ApiProblem conflict(String field, Object value, String detail) {
        return new ApiProblem(409, "Conflict", detail, field, value == null ? null : String.valueOf(value));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }
}
