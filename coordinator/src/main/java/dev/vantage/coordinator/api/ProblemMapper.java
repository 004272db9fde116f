package dev.vantage.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.vantage.coordinator.console.ErrorPages;
import dev.vantage.yaml.InvalidFileException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * Turns every refusal into an RFC 7807 problem response. Site documents are validated by the same reader
 * as site files, so its {@link InvalidFileException} already names the field path and the value.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem p, @Context UriInfo uri) {
        if (isConsole(uri)) {
            return ErrorPages.of(p.status(), p.getMessage());
        }
        return respond(p.status(), p.title(), p.getMessage(), uri, p.field(), p.value());
    }

    /** Console pages answer refusals as pages, not as problem documents. */
    private static boolean isConsole(UriInfo uri) {
        return uri != null && (uri.getPath().startsWith("/console") || uri.getPath().startsWith("console"));
    }

    @ServerExceptionMapper
    public Response invalidDocument(InvalidFileException e, @Context UriInfo uri) {
        return respond(422, "Invalid site document", e.getMessage(), uri,
                e.path() == null || e.path().isEmpty() ? null : e.path(), e.value());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, @Context UriInfo uri) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : null;
        return respond(400, "Unreadable request body", e.getOriginalMessage(), uri, field, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, @Context UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (isConsole(uri) && status >= 400) {
            return ErrorPages.of(status, e.getMessage());
        }
        return respond(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), uri, null, null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, @Context UriInfo uri) {
        LOG.errorf(e, "request %s failed", uri.getPath());
        if (isConsole(uri)) {
            return ErrorPages.of(500, "The coordinator failed to answer; its log has the details.");
        }
        return respond(500, "Internal error", "the coordinator failed to answer; the log has the details", uri,
                null, null);
    }

    static Response respond(int status, String title, String detail, UriInfo uri, String field, String value) {
        Problem problem = new Problem("about:blank", title, status, detail, uri == null ? null : uri.getPath(), field,
                value);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
