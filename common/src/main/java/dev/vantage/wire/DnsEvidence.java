package dev.vantage.wire;

import java.util.List;

/**
 * What a DNS probe saw: the question, who answered it and how, and the answer compared with what
 * the site expects from this vantage.
 *
 * @param query          the name asked for
 * @param recordType     {@code A}, {@code AAAA}, {@code CNAME} or {@code SRV}
 * @param resolver       the resolver asked, {@code ip:port}
 * @param resolverSource {@code task} when the task named the resolver, {@code resolv.conf} when it
 *                       was the vantage's own
 * @param rcode          the response code of the accepted answer ({@code NOERROR}, {@code NXDOMAIN},
 *                       ...), null when no acceptable answer arrived
 * @param truncated      the UDP answer had the TC bit set
 * @param tcpFallback    the query was repeated over TCP because of that
 * @param answers        the answer section, with TTLs (CNAMEs of a chain included)
 * @param observed       the values of the asked type: addresses for A/AAAA, targets for CNAME,
 *                       {@code priority weight port target} for SRV
 * @param expected       what the task expected, empty when it expected nothing
 * @param missing        expected but not observed
 * @param unexpected     observed but not expected (only when something was expected)
 * @param anomalies      replies that were not accepted, one line each: wrong id, unparseable,
 *                       answered for another question; a hostile or broken path shows here
 */
public record DnsEvidence(
        String query,
        String recordType,
        String resolver,
        String resolverSource,
        String rcode,
        boolean truncated,
        boolean tcpFallback,
        List<Answer> answers,
        List<String> observed,
        List<String> expected,
        List<String> missing,
        List<String> unexpected,
        List<String> anomalies) implements Evidence {

    public DnsEvidence {
        answers = answers == null ? List.of() : List.copyOf(answers);
        observed = observed == null ? List.of() : List.copyOf(observed);
        expected = expected == null ? List.of() : List.copyOf(expected);
        missing = missing == null ? List.of() : List.copyOf(missing);
        unexpected = unexpected == null ? List.of() : List.copyOf(unexpected);
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    }

    /** One resource record of the answer section, {@code data} in presentation format. */
    public record Answer(String name, String type, long ttl, String data) {
    }
}
