package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The agent registry over REST. Agents announce themselves by their heartbeats ({@link HeartbeatIngest}) and are
 * enrolled by the rules of {@link Enrolment}; the API reads them ({@link AgentDirectory}, which the console uses
 * too), shows whether they are online and trusted, lets an operator approve or reject one, and an admin forget one.
 */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    /**
     * An agent as the API shows it: {@code online} when its last heartbeat is recent enough; {@code enrolment}
     * and {@code vantageRoles}, the roles surveys use it for (its site file's, or the approved ones; empty while it
     * gets no tasks); {@code heartbeatProblem}, why its last heartbeat was not trusted; {@code key}, the key its
     * results must be signed with (null until one is bound), and {@code pendingKey}, another key it announces, which
     * counts for nothing until an operator approves it.
     */
    public record AgentView(String id, String siteId, List<String> roles, String version,
                            List<String> capabilities, Instant firstSeenAt, Instant lastSeenAt, boolean online,
                            long lastHeartbeatAgeSeconds, Enrolment.State enrolment, List<String> vantageRoles,
                            String decidedBy, Instant decidedAt, String heartbeatProblem, BoundKey key,
                            PendingKey pendingKey) {
        static AgentView of(Agent a, Optional<Site> site, Instant now, Duration offlineAfter) {
            Duration age = Duration.between(a.lastSeenAt, now);
            List<String> vantageRoles = a.enrolment != Enrolment.State.APPROVED ? List.of()
                    : site.flatMap(s -> Enrolment.listed(s, a.id)).map(Vantage::roles)
                    .orElse(a.approvedRoles == null || site.isEmpty() ? List.of() : a.approvedRoles);
            return new AgentView(a.id, a.siteId, a.roles, a.version, a.capabilities, a.firstSeenAt, a.lastSeenAt,
                    age.compareTo(offlineAfter) <= 0, Math.max(0, age.toSeconds()), a.enrolment, vantageRoles,
                    a.decidedBy, a.decidedAt, a.heartbeatProblem,
                    a.keyId == null ? null : new BoundKey(a.keyId, a.publicKey, a.keyBoundAt, a.keyBoundBy),
                    a.pendingKeyId == null ? null : new PendingKey(a.pendingKeyId, a.pendingPublicKey, a.pendingKeySeenAt));
        }
    }

    /**
     * The key bound to an agent: {@code keyId}, the fingerprint the agent logs when it starts; {@code publicKey},
     * base64 X.509; when and by whom it was bound ({@code site file}, or the operator).
     */
    public record BoundKey(String keyId, String publicKey, Instant boundAt, String boundBy) {
    }

    /** A key the agent announces instead of its bound one, since {@code firstSeenAt}. */
    public record PendingKey(String keyId, String publicKey, Instant firstSeenAt) {
    }

    /**
     * The roles an operator approves an agent its site file does not list for (by default those it claims), and
     * optionally the key id the operator expects the agent to be approved with: approving an agent that was not
     * approved binds the key it announces, and a {@code keyId} makes sure that is the key the operator checked.
     */
    public record Approval(List<String> roles, String keyId) {
    }

    /** The key id of the pending key an operator approves, as the agent logs it and {@code pendingKey.keyId} shows it. */
    public record KeyApproval(String keyId) {
    }

    private final AgentDirectory directory;

    public AgentResource(AgentDirectory directory) {
        this.directory = directory;
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Agents, optionally of one site")
    public List<AgentView> list(@QueryParam("site") String siteId, @QueryParam("limit") Integer limit,
                                @QueryParam("offset") Integer offset) {
        return directory.list(siteId, limit, offset);
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    @Operation(summary = "One agent")
    public AgentView get(@PathParam("id") String id) {
        return directory.get(id);
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Approve an agent: it gets tasks for the roles its site file gives it or, when the site "
            + "file does not list it, for the roles given here (default: the roles it claims)")
    public AgentView approve(@PathParam("id") String id, Approval approval) {
        return directory.approve(id, approval == null ? null : approval.roles(),
                approval == null ? null : approval.keyId());
    }

    @POST
    @Path("/{id}/key/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Approve the new key an agent announces (pendingKey), named by its key id: from then on its "
            + "results count only when signed with it, no longer with the key bound before")
    public AgentView approveKey(@PathParam("id") String id, KeyApproval approval) {
        return directory.approveKey(id, approval == null ? null : approval.keyId());
    }

    @POST
    @Path("/{id}/reject")
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Reject or revoke an agent: it gets no tasks, even if its site file lists it; tasks "
            + "queued for it and not yet sent are dropped")
    public AgentView reject(@PathParam("id") String id) {
        return directory.reject(id);
    }

    @DELETE
    @Path("/{id}")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Forget an agent and its enrolment; it enrols again with its next heartbeat")
    public Response delete(@PathParam("id") String id) {
        directory.delete(id);
        return Response.noContent().build();
    }
}
