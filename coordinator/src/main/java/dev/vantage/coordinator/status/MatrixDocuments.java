package dev.vantage.coordinator.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The readiness matrix of each site as a JSON document, kept until ingest changes that site's latest status.
 *
 * <p>Ingest gives the site a new {@code status_version} (from one sequence, never reused) in the transaction that
 * moves its {@code latest_status}. A request reads the version first (which also tells whether the site exists)
 * and serves the kept document when it was built at that version; otherwise it reads the cells, builds the
 * document and keeps it. So every replica serves what is committed without hearing from the others, and no
 * cache invalidation travels between them. Reading the version before the cells means a document is never older
 * than its version says (it may be newer, and is then built once more on the next change).
 *
 * <p>At most {@link #MAX_BYTES} of documents are kept, the least recently read go first.
 */
@ApplicationScoped
public class MatrixDocuments {
    /** Bytes of JSON kept over all sites: a few hundred realistic sites, or dozens of 1.5 MB stress sites. */
    static final long MAX_BYTES = 32L << 20;

    private record Document(long version, byte[] json) {
    }

    private final AgroalDataSource db;
    private final ObjectMapper mapper;
    /** By site id, least recently read first. */
    private final LinkedHashMap<String, Document> bySite = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public MatrixDocuments(AgroalDataSource db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
    }

    /** The site's matrix as JSON ({@link StatusResource.Matrix}); empty when there is no such site. */
    public Optional<byte[]> matrix(String siteId) {
        try (Connection c = db.getConnection()) {
            OptionalLong version = StatusQueries.statusVersion(c, siteId);
            if (version.isEmpty()) {
                return Optional.empty();
            }
            Document kept = kept(siteId);
            if (kept != null && kept.version() == version.getAsLong()) {
                return Optional.of(kept.json());
            }
            byte[] json = mapper.writeValueAsBytes(StatusResource.Matrix.of(siteId, StatusQueries.cells(c, siteId)));
            keep(siteId, new Document(version.getAsLong(), json));
            return Optional.of(json);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("reading the matrix of site " + siteId + ": " + e.getMessage(), e);
        }
    }

    /** Documents kept right now, for tests. */
    synchronized int kept() {
        return bySite.size();
    }

    private synchronized Document kept(String siteId) {
        return bySite.get(siteId);
    }

    private synchronized void keep(String siteId, Document document) {
        Document previous = bySite.put(siteId, document);
        bytes += document.json().length - (previous == null ? 0 : previous.json().length);
        for (Iterator<Map.Entry<String, Document>> it = bySite.entrySet().iterator(); bytes > MAX_BYTES && it.hasNext(); ) {
            bytes -= it.next().getValue().json().length;
            it.remove();
        }
    }
}
