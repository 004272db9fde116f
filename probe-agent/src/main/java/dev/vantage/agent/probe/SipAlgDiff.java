package dev.vantage.agent.probe;

import dev.vantage.agent.sip.SipMessage;
import dev.vantage.wire.SipEvidence;

import java.util.ArrayList;
import java.util.List;

/**
 * What a path did to a SIP request: the header fields and SDP lines that differ between the request
 * as sent and as the far side (a Vantage responder) says it received it. Any difference means a SIP
 * ALG or another rewriting device on the path.
 */
final class SipAlgDiff {
    private static final List<String> FIELDS = List.of("via", "contact", "from", "to", "call-id", "cseq");

    private SipAlgDiff() {
    }

    /** Header fields and SDP lines that differ, in the order Via, Contact, From, To, Call-ID, CSeq, sdp. */
    static List<SipEvidence.Change> between(SipMessage sent, SipMessage received) {
        List<SipEvidence.Change> out = new ArrayList<>();
        for (String field : FIELDS) {
            compare(canonical(field), sent.all(field), received.all(field), out);
        }
        compare("sdp", lines(sent.body()), lines(received.body()), out);
        return out;
    }

    private static void compare(String field, List<String> sent, List<String> received, List<SipEvidence.Change> out) {
        int n = Math.max(sent.size(), received.size());
        for (int i = 0; i < n; i++) {
            String s = i < sent.size() ? sent.get(i) : null;
            String r = i < received.size() ? received.get(i) : null;
            if (s == null || !s.equals(r)) {
                out.add(new SipEvidence.Change(field, s, r));
            }
        }
    }

    private static List<String> lines(String body) {
        List<String> out = new ArrayList<>();
        for (String l : body.split("\r?\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    private static String canonical(String field) {
        return switch (field) {
            case "call-id" -> "Call-ID";
            case "cseq" -> "CSeq";
            default -> Character.toUpperCase(field.charAt(0)) + field.substring(1);
        };
    }
}
