package dev.vantage.coordinator.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Adds the RFC 7807 {@link Problem} schema to the OpenAPI document and the error responses every operation can
 * give, so clients see them without an annotation on each method: 401 and 403 (token), 400 when the
 * operation takes parameters or a body, 404 when its path names something by id (or a site the token may not
 * see), 422 when it takes a site document. An error response an operation declares itself gets the problem
 * content if it has none. Registered with {@code mp.openapi.filter} in application.properties.
 */
public class ProblemResponses implements OASFilter {
    static final String SCHEMA = "Problem";
    private static final String REF = "#/components/schemas/" + SCHEMA;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getKey().startsWith("/q/") || path.getValue().getOperations() == null) {
                continue;
            }
            boolean byId = path.getKey().contains("{");
            for (Operation op : path.getValue().getOperations().values()) {
                describe(op, byId);
            }
        }
    }

    private static void describe(Operation op, boolean byId) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        boolean takesInput = (op.getParameters() != null && !op.getParameters().isEmpty()) || op.getRequestBody() != null;
        if (takesInput) {
            add(responses, "400", "Invalid request: the problem's field and value name what was refused");
        }
        add(responses, "401", "No API token, or an unknown or revoked one");
        add(responses, "403", "The token's role does not allow this operation");
        if (byId) {
            add(responses, "404", "Not found, or not visible to this token (a token limited to other sites)");
        }
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null
                && op.getRequestBody().getContent().hasMediaType("application/yaml")) {
            add(responses, "422", "The site document is invalid: field names the path into the document");
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.length() == 3 && (status.startsWith("4") || status.startsWith("5"))
                    && (response.getContent() == null || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problemContent());
            }
        });
    }

    private static void add(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            APIResponse r = OASFactory.createAPIResponse().description(description).content(problemContent());
            responses.addAPIResponse(status, r);
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 7807 problem document (application/problem+json)")
                .addProperty("type", string("a URI reference naming the problem type; about:blank"))
                .addProperty("title", string("short summary of the problem type"))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("the HTTP status code"))
                .addProperty("detail", string("what was wrong, with the offending value, and what to do"))
                .addProperty("instance", string("the request path"))
                .addProperty("field", string("the request field or parameter at fault (a dotted path into a site document)"))
                .addProperty("value", string("the value that was refused"))
                .required(List.of("type", "title", "status"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
