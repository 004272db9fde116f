package dev.vantage.agent.probe;

import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a resolver's answer says against what the task expects: the outcome ({@code RESOLVED},
 * {@code MISMATCH}, {@code NODATA}, the error rcodes) and the records behind it, values normalised
 * so that an address or a name compares however it was written.
 */
final class DnsAnswer {
    private DnsAnswer() {
    }

    /**
     * The verdict on one answer.
     *
     * @param records    every record of the answer section
     * @param observed   the values of the records of the asked type
     * @param missing    expected values the answer lacks
     * @param unexpected answered values that were not expected
     */
    record Verdict(Outcome outcome, String detail, List<DnsEvidence.Answer> records, List<String> observed,
                   List<String> missing, List<String> unexpected) {
    }

    /**
     * Judges an answer to a question of {@code type}.
     *
     * @param expected        normalised expected values ({@link #expected}); empty: any answer will do
     * @param truncated       the UDP answer was truncated
     * @param answeredOverTcp the answer is the one TCP gave after the truncation
     */
    static Verdict judge(Message answer, int type, List<String> expected, boolean truncated, boolean answeredOverTcp) {
        String typeName = Type.string(type);
        int rcode = answer.getRcode();
        List<DnsEvidence.Answer> records = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        for (Record r : answer.getSection(Section.ANSWER)) {
            records.add(new DnsEvidence.Answer(r.getName().toString(), Type.string(r.getType()), r.getTTL(),
                    r.rdataToString()));
            if (r.getType() == type) {
                observed.add(value(r));
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Outcome outcome;
        String detail;
        if (truncated && !answeredOverTcp && observed.isEmpty()) {
            // an empty truncated answer says nothing about the name: the answer was lost with TCP
            outcome = Outcome.UNEXPECTED;
            detail = Rcode.string(rcode) + " with no usable records";
        } else if (rcode == Rcode.NOERROR && observed.isEmpty()) {
            outcome = Outcome.NODATA;
            detail = "no " + typeName + " record (NOERROR, empty answer)";
        } else if (rcode == Rcode.NOERROR) {
            if (!expected.isEmpty()) {
                Set<String> seen = new LinkedHashSet<>(observed);
                for (String e : expected) {
                    if (!seen.contains(e)) {
                        missing.add(e);
                    }
                }
                for (String o : seen) {
                    if (!expected.contains(o)) {
                        unexpected.add(o);
                    }
                }
            }
            if (missing.isEmpty() && unexpected.isEmpty()) {
                outcome = Outcome.RESOLVED;
                detail = String.join(", ", observed);
            } else {
                outcome = Outcome.MISMATCH;
                detail = "answered " + String.join(", ", observed) + ", expected " + String.join(", ", expected);
            }
        } else {
            outcome = switch (rcode) {
                case Rcode.NXDOMAIN -> Outcome.NXDOMAIN;
                case Rcode.SERVFAIL -> Outcome.SERVFAIL;
                case Rcode.REFUSED -> Outcome.REFUSED;
                default -> Outcome.UNEXPECTED;
            };
            detail = Rcode.string(rcode);
        }
        if (truncated) {
            detail += answeredOverTcp ? " (truncated over UDP, answered over TCP)"
                    : " (truncated over UDP, TCP fallback failed)";
        }
        return new Verdict(outcome, detail, records, observed, missing, unexpected);
    }

    /** The task's expected values (comma-separated), normalised to compare with {@link #value(Record)}. */
    static List<String> expected(String text, int type) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (type == Type.A || type == Type.AAAA) {
                try {
                    p = Address.getByAddress(p).getHostAddress();
                } catch (java.net.UnknownHostException e) {
                    // not an address literal: kept as written, so it shows up as missing
                }
            } else {
                p = p.toLowerCase(Locale.ROOT);
                if (p.endsWith(".")) {
                    p = p.substring(0, p.length() - 1);
                }
            }
            out.add(p);
        }
        return out;
    }

    private static String value(Record r) {
        if (r instanceof ARecord a) {
            return a.getAddress().getHostAddress();
        }
        if (r instanceof AAAARecord a) {
            return a.getAddress().getHostAddress();
        }
        if (r instanceof CNAMERecord c) {
            return trimDot(c.getTarget().toString().toLowerCase(Locale.ROOT));
        }
        if (r instanceof SRVRecord s) {
            return s.getPriority() + " " + s.getWeight() + " " + s.getPort() + " "
                    + trimDot(s.getTarget().toString().toLowerCase(Locale.ROOT));
        }
        return r.rdataToString();
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
