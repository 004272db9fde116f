package dev.vantage.coordinator.console;

import dev.vantage.coordinator.auth.Open;
import dev.vantage.coordinator.auth.Page;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** The coordinator's address alone leads to the console. */
@Path("/")
@Page
public class ConsoleRoot {
    @GET
    @Open
    public Response root() {
        return Response.seeOther(URI.create("/console/sites")).build();
    }
}
