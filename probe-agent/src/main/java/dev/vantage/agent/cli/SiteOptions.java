package dev.vantage.agent.cli;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.site.Site;
import dev.vantage.site.SiteFileException;
import dev.vantage.site.Sites;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The options that name a site, a vantage and a mode; shared by {@code plan} and {@code check}. */
public class SiteOptions {

    /** A site file read and checked, with the roles asked for; {@code mediaResponder}: the media option. */
    public record Loaded(Site site, Catalog catalog, Set<String> roles, Mode mode, boolean mediaResponder) {
    }

    @Option(names = "--site", paramLabel = "FILE", required = true, description = "The site file (YAML).")
    Path siteFile;

    @Option(names = "--as", paramLabel = "ROLE", required = true, split = ",",
            description = "Catalog role(s) this vantage plays, e.g. end-users or trunk; repeat or separate with commas.")
    List<String> roles;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "post-install",
            converter = ModeConverter.class, completionCandidates = ModeConverter.Candidates.class,
            description = "post-install (default): the stack's services answer; pre-install: the agent on the stack "
                    + "opens responders on the catalog's ports and the probes expect them.")
    Mode mode;

    @Option(names = "--media-responder",
            description = "post-install only: the stack's responder takes the free ports of the media ranges (RTP) "
                    + "for the window, never a port another process holds, and the probes of those ranges expect it. "
                    + "Off here by default; coordinated surveys have it on unless switched off (switch it off during "
                    + "business hours).")
    boolean mediaResponder;

    /** Reads the site and checks the roles; on bad input prints one line naming it and returns null. */
    Loaded load(PrintWriter err) {
        Site site;
        try {
            site = Sites.load(siteFile);
        } catch (SiteFileException e) {
            err.println(e.getMessage());
            err.flush();
            return null;
        }
        Catalog catalog = Catalogs.bundled(site.catalog());
        Set<String> asked = new LinkedHashSet<>();
        for (String role : roles) {
            if (!catalog.roles().containsKey(role.strip())) {
                err.println("--as " + role + ": unknown role '" + role + "', catalog " + catalog.name() + " has roles "
                        + String.join(", ", catalog.roles().keySet()));
                err.flush();
                return null;
            }
            asked.add(role.strip());
        }
        return new Loaded(site, catalog, asked, mode, mediaResponder);
    }
}
