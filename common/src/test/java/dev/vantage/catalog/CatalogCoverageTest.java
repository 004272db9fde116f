package dev.vantage.catalog;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves that no row of the project's copy of the requirements document is silently dropped. */
class CatalogCoverageTest {
    private static RequirementsDocument doc;
    private static Catalog stack;
    private static Catalog legacy;

    @BeforeAll
    static void read() throws IOException {
        doc = RequirementsDocument.read();
        stack = Catalogs.bundled("jtel-container-stack");
        legacy = Catalogs.bundled("jtel-acd-legacy");
    }

    private static List<RequirementsDocument.Row> stackRows() {
        return doc.rows.stream().filter(r -> !r.legacy()).toList();
    }

    private static List<RequirementsDocument.Row> legacyRows() {
        return doc.rows.stream().filter(RequirementsDocument.Row::legacy).toList();
    }

    @Test
    void readsEveryTableRowOfTheDocumentIncludingTheOnesWithoutALeadingBar() {
        assertThat(doc.rows).hasSize(7 + 1 + 2 + 3 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 5 + 3 + 1 + 22);
        assertThat(doc.rows).extracting(RequirementsDocument.Row::text)
                .contains("dockerhub.jtel.de or jtelacr.azurecr.io | 443 | HTTPS | Pull Docker container images")
                .anyMatch(t -> t.startsWith("Webserver conference control of telephony | UDP | ACD-JB | Any | ACD-TEL | 20641"));
        assertThat(legacyRows()).hasSize(23);
    }

    @Test
    void everyContainerStackRowIsCoveredByTheContainerStackCatalog() {
        assertThat(DocumentCoverage.uncoveredRows(doc, stackRows(), stack)).isEmpty();
    }

    @Test
    void everyLegacyRowIsCoveredByTheLegacyCatalog() {
        assertThat(DocumentCoverage.uncoveredRows(doc, legacyRows(), legacy)).isEmpty();
    }

    @Test
    void reportsTheRowsOfARemovedRequirement() {
        Catalog withoutRtp = stack.without("inbound.rtp");
        assertThat(DocumentCoverage.uncoveredRows(doc, stackRows(), withoutRtp))
                .hasSize(2)
                .allMatch(line -> line.contains("udp 30000-34999"));
    }

    @Test
    void reportsAProtocolHalfOfATcpUdpRowThatIsMissing() {
        Catalog withoutSipTcp = stack.without("inbound.sip-tcp");
        assertThat(DocumentCoverage.uncoveredRows(doc, stackRows(), withoutSipTcp))
                .hasSize(2)
                .allMatch(line -> line.contains("tcp 5060"));
    }

    @Test
    void reportsOneOfSeveralHostsOfAnOutboundRowThatIsMissing() {
        Catalog withoutMistral = stack.without("outbound.mistral");
        assertThat(DocumentCoverage.uncoveredRows(doc, stackRows(), withoutMistral))
                .containsExactly("line 80 (tcp 443): api.mistral.ai | 443 | HTTPS | Alternative LLM provider (if enabled)");
    }

    @Test
    void everyReferenceQuotesTheDocument() {
        assertThat(DocumentCoverage.danglingRefs(doc, stack)).isEmpty();
        assertThat(DocumentCoverage.danglingRefs(doc, legacy)).isEmpty();
    }
}
