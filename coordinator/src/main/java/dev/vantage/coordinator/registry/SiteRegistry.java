package dev.vantage.coordinator.registry;

import dev.vantage.catalog.Catalogs;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Sites as submitted in the site file format (YAML, or the same structure as JSON). Every change stores
 * a new immutable version; a survey records the version it planned from. Documents are validated by
 * {@link Sites#parse}, the reader the agent's standalone check uses, so a site the coordinator accepts is
 * one the agents read the same way.
 */
@ApplicationScoped
public class SiteRegistry {
    /** The name site documents from the API carry in error messages. */
    static final String DOCUMENT = "site document";

    private final Clock clock = Clock.systemUTC();

    /** A stored site version, parsed. */
    public record Versioned(Site site, int version) {
    }

    /** Validates and stores a new site. */
    @Transactional
    public Versioned create(String document, String actor) {
        Site site = parse(document);
        if (SiteRecord.findById(site.id()) != null) {
            throw ApiProblem.conflict("site", site.id(), "site '" + site.id()
                    + "' exists already: change it with PUT /sites/" + site.id());
        }
        Instant now = clock.instant();
        SiteRecord record = new SiteRecord();
        record.id = site.id();
        record.createdAt = now;
        record.version = 0;
        return store(record, site, document, actor, now);
    }

    /** Validates and stores a new version of an existing site; the document must keep the site's id. */
    @Transactional
    public Versioned update(String id, String document, String actor) {
        Site site = parse(document);
        if (!site.id().equals(id)) {
            throw ApiProblem.badRequest("site", site.id(), "the document is for site '" + site.id()
                    + "' but was sent to /sites/" + id + "; a site's id cannot change");
        }
        SiteRecord record = SiteRecord.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (record == null) {
            throw ApiProblem.notFound("site", id);
        }
        return store(record, site, document, actor, clock.instant());
    }

    private Versioned store(SiteRecord record, Site site, String document, String actor, Instant now) {
        record.name = site.name();
        record.catalog = site.catalog();
        record.version = record.version + 1;
        record.updatedAt = now;
        record.persist();
        SiteVersion v = new SiteVersion();
        v.key = new SiteVersion.Key(site.id(), record.version);
        v.document = document;
        v.createdAt = now;
        v.createdBy = actor;
        v.persist();
        return new Versioned(site, record.version);
    }

    /** The sites the caller may see, by id, one page of them. */
    @Transactional
    public java.util.List<SiteRecord> visible(dev.vantage.coordinator.auth.Caller caller,
                                              dev.vantage.coordinator.api.Paging.Page page) {
        return caller.sites()
                .map(ids -> SiteRecord.<SiteRecord>find("id in ?1", io.quarkus.panache.common.Sort.by("id"), ids))
                .orElseGet(() -> SiteRecord.findAll(io.quarkus.panache.common.Sort.by("id")))
                .range(page.offset(), page.offset() + page.limit() - 1).list();
    }

    @Transactional
    public Optional<SiteRecord> find(String id) {
        return Optional.ofNullable(SiteRecord.findById(id));
    }

    /** The current version of a site, parsed. */
    @Transactional
    public Optional<Versioned> current(String id) {
        SiteRecord record = SiteRecord.findById(id);
        return record == null ? Optional.empty() : version(id, record.version);
    }

    /** One stored version of a site, parsed. */
    @Transactional
    public Optional<Versioned> version(String id, int version) {
        SiteVersion v = SiteVersion.findById(new SiteVersion.Key(id, version));
        return v == null ? Optional.empty() : Optional.of(new Versioned(parse(v.document), version));
    }

    @Transactional
    public Optional<String> document(String id, int version) {
        SiteVersion v = SiteVersion.findById(new SiteVersion.Key(id, version));
        return Optional.ofNullable(v).map(x -> x.document);
    }

    /** Deletes a site with its versions, surveys and results. */
    @Transactional
    public boolean delete(String id) {
        // surveys, tasks, outbox and verdicts go by cascade; results and latest status carry no foreign key
        // (results are partitioned and append-only), so they are deleted here
        SiteRecord.getEntityManager().createNativeQuery("DELETE FROM latest_status WHERE site_id = ?1")
                .setParameter(1, id).executeUpdate();
        SiteRecord.getEntityManager().createNativeQuery("DELETE FROM result WHERE site_id = ?1")
                .setParameter(1, id).executeUpdate();
        return SiteRecord.deleteById(id);
    }

    static Site parse(String document) {
        if (document == null || document.isBlank()) {
            throw ApiProblem.badRequest("body", null, "the request has no site document: send the site file "
                    + "(application/yaml) or the same structure as application/json");
        }
        Site kept = PARSED.get(document);
        if (kept != null) {
            return kept;
        }
        Site site = Sites.parse(DOCUMENT, document, Catalogs::bundled);
        PARSED.put(document, site);
        return site;
    }

    /**
     * Stored versions parsed before, by their text: parsing is a pure function of the document (and the bundled
     * catalogs), and pages read the current version of a site several times per request. Keyed by the text, not by
     * site and version, so a site deleted and registered again under the same id is never served an old parse.
     */
    private static final java.util.Map<String, Site> PARSED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Site> eldest) {
                    return size() > 64;
                }
            });
}
