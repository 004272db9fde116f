package dev.vantage.coordinator.status;

import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The readiness matrix and the result history of a site. */
@Path("/sites/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    /** The latest status, requirements × vantages; each cell lists the probes of that pair. */
    public record Matrix(String siteId, List<String> vantages, List<MatrixRow> rows) {
        /** The matrix of these cells (sorted by requirement and vantage). */
        static Matrix of(String siteId, List<StatusQueries.Cell> latest) {
            Set<String> vantages = new TreeSet<>();
            Map<String, Map<String, List<StatusQueries.Cell>>> rows = new LinkedHashMap<>();
            for (StatusQueries.Cell cell : latest) {
                vantages.add(cell.vantage());
                rows.computeIfAbsent(cell.requirementId(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(cell.vantage(), k -> new ArrayList<>()).add(cell);
            }
            List<MatrixRow> out = new ArrayList<>();
            rows.forEach((req, cells) -> out.add(new MatrixRow(req, cells)));
            return new Matrix(siteId, List.copyOf(vantages), out);
        }
    }

    public record MatrixRow(String requirementId, Map<String, List<StatusQueries.Cell>> cells) {
    }

    /** A page of history over a time range. */
    public record History(String siteId, String requirementId, String vantage, String target, Instant from, Instant to,
                          int limit, int offset, List<StatusQueries.HistoryEntry> results) {
    }

    private final StatusQueries queries;
    private final MatrixDocuments documents;
    private final Caller caller;
    private final Paging paging;

    public StatusResource(StatusQueries queries, MatrixDocuments documents, Caller caller, Paging paging) {
        this.queries = queries;
        this.documents = documents;
        this.caller = caller;
        this.paging = paging;
    }

    @GET
    @Path("/matrix")
    @Allowed(Role.VIEWER)
    @Operation(summary = "Readiness matrix: the latest outcome of every probe, requirements × vantages")
    @APIResponse(responseCode = "200", description = "the matrix",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Matrix.class)))
    public Response matrix(@PathParam("id") String siteId) {
        caller.requireSite(siteId);
        // the document as built for the site's current status version, kept until ingest changes it
        byte[] json = documents.matrix(siteId).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/history")
    @Allowed(Role.VIEWER)
    @Operation(summary = "Results of a requirement (optionally one vantage and target) over a time range, newest first")
    public History history(@PathParam("id") String siteId, @QueryParam("requirement") String requirement,
                           @QueryParam("vantage") String vantage, @QueryParam("target") String target,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        caller.requireSite(siteId);
        if (requirement == null || requirement.isBlank()) {
            throw ApiProblem.badRequest("requirement", requirement, "requirement is required, e.g. inbound.sip-udp");
        }
        Paging.Range range = paging.range(from, to);
        Paging.Page page = paging.page(limit, offset);
        List<StatusQueries.HistoryEntry> results = queries.history(siteId, requirement, vantage, target, range.from(),
                range.to(), page.limit(), page.offset()).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        return new History(siteId, requirement, vantage, target, range.from(), range.to(), page.limit(), page.offset(),
                results);
    }
}
