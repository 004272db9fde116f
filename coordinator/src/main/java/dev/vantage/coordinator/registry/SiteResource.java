package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.site.Site;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The site registry over REST. A site is sent in the site file format as YAML, or as JSON with the same
 * structure; a change stores a new version.
 */
@Path("/sites")
@Produces(MediaType.APPLICATION_JSON)
public class SiteResource {
    static final String YAML = "application/yaml";

    /** A site as the API lists it. */
    public record SiteView(String id, String name, String catalog, int version, Instant createdAt, Instant updatedAt) {
        static SiteView of(SiteRecord r) {
            return new SiteView(r.id, r.name, r.catalog, r.version, r.createdAt, r.updatedAt);
        }
    }

    /** A site version as parsed: what the planner works from. */
    public record SiteDetail(String id, String name, String catalog, int version, String fqdn, String topology,
                             Set<String> modules, List<VantageView> vantages) {
        static SiteDetail of(SiteRegistry.Versioned v) {
            Site s = v.site();
            return new SiteDetail(s.id(), s.name(), s.catalog(), v.version(), s.fqdn(), s.topology().wireName(),
                    s.modules(), s.vantages().stream().map(x -> new VantageView(x.agent(), x.roles())).toList());
        }
    }

    public record VantageView(String agent, List<String> roles) {
    }

    private final SiteRegistry registry;
    private final Caller caller;
    private final Paging paging;

    public SiteResource(SiteRegistry registry, Caller caller, Paging paging) {
        this.registry = registry;
        this.caller = caller;
        this.paging = paging;
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Sites the token may see, by id")
    public List<SiteView> list(@QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        return registry.visible(caller, paging.page(limit, offset)).stream().map(SiteView::of).toList();
    }

    @POST
    @Consumes({YAML, "text/yaml", "application/x-yaml", MediaType.APPLICATION_JSON})
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Register a site from a site document (YAML site file, or the same structure as JSON)")
    public Response create(String document) {
        String id = SiteRegistry.parse(document).id();
        if (!caller.maySee(id)) {
            // checked before storing: a token limited to other sites must not create (and so learn about) this one
            throw new ApiProblem(403, "Forbidden", "this token is limited to sites " + caller.sites().orElseThrow()
                    + " and cannot create site '" + id + "'", "site", id);
        }
        SiteRegistry.Versioned v = registry.create(document, caller.name());
        return Response.created(URI.create("/sites/" + v.site().id())).entity(SiteDetail.of(v)).build();
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    @Operation(summary = "The current version of a site")
    public SiteDetail get(@PathParam("id") String id) {
        caller.requireSite(id);
        return SiteDetail.of(registry.current(id).orElseThrow(() -> ApiProblem.notFound("site", id)));
    }

    @PUT
    @Path("/{id}")
    @Consumes({YAML, "text/yaml", "application/x-yaml", MediaType.APPLICATION_JSON})
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Store a new version of a site")
    public SiteDetail update(@PathParam("id") String id, String document) {
        caller.requireSite(id);
        return SiteDetail.of(registry.update(id, document, caller.name()));
    }

    @GET
    @Path("/{id}/versions/{version}")
    @Produces({YAML, MediaType.APPLICATION_JSON})
    @Allowed(Role.VIEWER)
    @Operation(summary = "A stored site version, exactly as it was submitted")
    public Response version(@PathParam("id") String id, @PathParam("version") int version) {
        caller.requireSite(id);
        String doc = registry.document(id, version)
                .orElseThrow(() -> ApiProblem.notFound("site version", id + " v" + version));
        return Response.ok(doc, doc.stripLeading().startsWith("{") ? MediaType.APPLICATION_JSON : YAML).build();
    }

    @DELETE
    @Path("/{id}")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Delete a site with its versions, surveys, verdicts and latest status")
    public Response delete(@PathParam("id") String id) {
        caller.requireSite(id);
        if (!registry.delete(id)) {
            throw ApiProblem.notFound("site", id);
        }
        return Response.noContent().build();
    }
}
