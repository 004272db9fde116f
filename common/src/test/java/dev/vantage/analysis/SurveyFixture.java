package dev.vantage.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.params.ParamNames;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.site.Vantage;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Evidence;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.RtpEvidence;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.SshEvidence;
import dev.vantage.wire.TlsEvidence;
import dev.vantage.wire.Wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A survey scenario as a file (see {@code src/test/resources/analysis/README.md}): an example site, a
 * mode, the results that differ from a healthy survey in a compact form, and the verdicts that must
 * come out. Every planned task the file does not mention gets the result a healthy network gives for
 * its kind, so a file lists only the fault it plants.
 */
public final class SurveyFixture {
    static final Path EXAMPLES = Path.of("..", "deploy", "examples");
    static final Instant START = Instant.parse("2026-11-26T06:00:00Z");
    private static final YAMLMapper YAML = new YAMLMapper();

    public final String name;
    public final JsonNode root;
    public final Catalog catalog;
    public final Site site;
    public final Mode mode;
    public final Plan plan;

    private SurveyFixture(String name, JsonNode root) {
        this.name = name;
        this.root = root;
        Path file = EXAMPLES.resolve(root.path("site").asText("site-example.yaml"));
        Site loaded;
        try {
            String text = Files.readString(file);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("site-replace").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!text.contains(e.getKey())) {
                    throw new IllegalArgumentException("site-replace: '" + e.getKey() + "' does not occur in " + file);
                }
                text = text.replace(e.getKey(), e.getValue().asText());
            }
            loaded = Sites.parse(file.toString(), text, Catalogs::bundled);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.catalog = Catalogs.bundled(loaded.catalog());
        this.site = edit(loaded, root);
        this.mode = Mode.valueOf(root.path("mode").asText("post-install").toUpperCase().replace('-', '_'));
        // media-responder: the media option of post-install surveys (the stack's responder on the free RTP ports)
        this.plan = new Planner(Planner.DEFAULT_RESPONDER_WINDOW, root.path("media-responder").asBoolean(false))
                .plan(catalog, site, Set.of(), mode);
    }

    public static SurveyFixture load(Path file) {
        try {
            return new SurveyFixture(file.getFileName().toString(), YAML.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SurveyFixture of(String yaml) {
        try {
            return new SurveyFixture("inline", YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Modules switched off and agents removed, as the file asks. */
    private static Site edit(Site s, JsonNode root) {
        Set<String> modules = new LinkedHashSet<>(s.modules());
        root.path("modules-off").forEach(m -> {
            if (!modules.remove(m.asText())) {
                throw new IllegalArgumentException("modules-off: '" + m.asText() + "' is not enabled at " + s.id());
            }
        });
        List<Vantage> vantages = new ArrayList<>(s.vantages());
        root.path("agents-absent").forEach(a -> {
            if (!vantages.removeIf(v -> v.agent().equals(a.asText()))) {
                throw new IllegalArgumentException("agents-absent: no agent '" + a.asText() + "' at " + s.id());
            }
        });
        return new Site(s.id(), s.name(), s.catalog(), s.fqdn(), s.topology(), modules, s.roles(), s.dnsInternal(),
                s.dnsExternal(), s.destinations(), vantages);
    }

    /** The healthy survey: one good result per planned probe task. */
    public List<ProbeResult> healthyResults() {
        return results(false);
    }

    /** The survey with the file's faults planted. */
    public List<ProbeResult> plantedResults() {
        return results(true);
    }

    public Analysis analyze(List<ProbeResult> results) {
        Map<String, VerdictStatus> previous = new LinkedHashMap<>();
        root.path("previous").fields().forEachRemaining(e -> previous.put(e.getKey(), VerdictStatus.valueOf(e.getValue().asText())));
        return new Analyzer().analyze(new SurveyInput(catalog, site, List.of(plan), results, previous,
                Instant.parse("2026-11-26T07:00:00Z")));
    }

    private List<ProbeResult> results(boolean planted) {
        Counter ids = new Counter();
        List<ProbeResult> out = new ArrayList<>();
        List<JsonNode> overrides = new ArrayList<>();
        if (planted) {
            root.path("results").forEach(overrides::add);
        }
        Set<JsonNode> used = new HashSet<>();
        for (ProbeTask t : plan.tasks()) {
            List<JsonNode> matching = overrides.stream().filter(o -> matches(o, t)).toList();
            used.addAll(matching);
            if (t.kind() == ProbeKind.RESPOND) {
                matching.forEach(o -> out.add(result(t, Outcome.valueOf(o.path("outcome").asText("LISTENED")),
                        ClosingReport.of(o, plan, site), o.path("summary").asText("responder"), ids, o)));
                continue;
            }
            JsonNode replace = matching.stream().filter(o -> !o.path("add").asBoolean()).reduce((a, b) -> b).orElse(null);
            if (replace == null) {
                out.add(healthy(t, ids));
            } else if (!replace.path("missing").asBoolean()) {
                out.add(planted(t, replace, ids));
            }
            matching.stream().filter(o -> o.path("add").asBoolean()).forEach(o -> out.add(planted(t, o, ids)));
        }
        for (JsonNode o : overrides) {
            if (o.has("task")) {
                // a result for a task that is not in the plan: untrusted input
                ProbeTask fake = new ProbeTask(Wire.SCHEMA_VERSION, o.path("task").asText(), null, site.id(),
                        o.path("from").asText("internet"), null, o.path("req").asText("inbound.ssh"), ProbeKind.TCP,
                        "192.0.2.99", PortRange.of(22), Map.of(), null);
                out.add(result(fake, Outcome.valueOf(o.path("outcome").asText("OPEN")), null, "forged", ids, o));
                used.add(o);
            }
        }
        for (JsonNode o : overrides) {
            if (!used.contains(o)) {
                throw new IllegalArgumentException(name + ": result line " + o + " matches no planned task");
            }
        }
        return out;
    }

    private static boolean matches(JsonNode o, ProbeTask t) {
        if (o.has("task")) {
            return false;
        }
        if (o.has("respond")) {
            return t.kind() == ProbeKind.RESPOND && t.vantage().equals(o.path("respond").asText())
                    && (!o.has("transport") || o.path("transport").asText().equals(t.params().get(ParamNames.TRANSPORT)))
                    && (!o.has("ports") || t.ports().contains(PortRange.parse(o.path("ports").asText())));
        }
        return t.kind() != ProbeKind.RESPOND
                && o.path("req").asText().equals(t.requirementId())
                && (!o.has("from") || o.path("from").asText().equals(t.vantage()))
                && (!o.has("kind") || o.path("kind").asText().equals(t.kind().wireName()))
                && (!o.has("target") || o.path("target").asText().equals(t.target()));
    }

    private String agent(ProbeTask t) {
        return site.vantages().stream().filter(v -> v.roles().contains(t.vantage())).map(Vantage::agent).findFirst()
                .orElse("adhoc-" + t.vantage());
    }

    private ProbeResult result(ProbeTask t, Outcome outcome, Evidence evidence, String summary, Counter ids, JsonNode o) {
        int n = ids.next();
        String agent = o != null && o.has("agent") ? o.path("agent").asText() : agent(t);
        Instant at = o != null && o.has("at") ? Instant.parse(o.path("at").asText()) : START.plusSeconds(n);
        return new ProbeResult(Wire.SCHEMA_VERSION, "r" + n, t.taskId(), "survey-1", site.id(), t.vantage(), agent,
                "test", t.requirementId(), t.kind(), t.target(), t.ports(), outcome, null, null, "ipv4", null, at,
                Map.of(), summary, evidence);
    }

    /** The agent of the task's destination role, which runs the responder. */
    private String responderAgent(ProbeTask t) {
        String role = catalog.requirement(t.requirementId()).orElseThrow().destination().role();
        return site.vantages().stream().filter(v -> v.roles().contains(role)).map(Vantage::agent).findFirst().orElse("?");
    }

    private boolean responder(ProbeTask t) {
        return "true".equals(t.params().get(ParamNames.RESPONDER));
    }

    // --- healthy results ----------------------------------------------------------------------

    private ProbeResult healthy(ProbeTask t, Counter ids) {
        if ("blocked".equals(t.params().get(ParamNames.EXPECT_STATE))) {
            // a must-be-blocked port drops the probe
            Outcome o = t.kind() == ProbeKind.UDP || t.kind() == ProbeKind.UDP_RANGE ? Outcome.OPEN_OR_FILTERED : Outcome.FILTERED;
            Evidence e = t.kind() == ProbeKind.TCP_RANGE || t.kind() == ProbeKind.UDP_RANGE ? range(t, o) : port(null, null, null);
            return result(t, o, e, "dropped", ids, null);
        }
        return switch (t.kind()) {
            case TCP -> result(t, Outcome.OPEN, new PortEvidence(1, null, null, responder(t) ? "VANTAGE-RESPONDER "
                    + responderAgent(t) + " " + t.ports() + " 192.0.2.7:40000" : null, null, false,
                    responder(t) ? "192.0.2.7:40000" : null), "open", ids, null);
            case UDP -> result(t, Outcome.OPEN, port(null, null, "echo"), "open", ids, null);
            case TCP_RANGE -> result(t, Outcome.OPEN, range(t, Outcome.OPEN), "open", ids, null);
            case UDP_RANGE -> {
                Outcome o = responder(t) ? Outcome.OPEN : Outcome.CLOSED;
                yield result(t, o, range(t, o), "swept", ids, null);
            }
            case DNS -> {
                List<String> expected = expected(t);
                yield result(t, Outcome.RESOLVED, dns(t, expected.isEmpty() ? List.of("192.0.2.1") : expected, "NOERROR"),
                        "resolved", ids, null);
            }
            case TLS -> result(t, Outcome.TRUSTED, tls(t, "CN=R11,O=Let's Encrypt,C=US", true, null), "trusted", ids, null);
            case HTTP -> {
                boolean registry = "registry".equals(t.params().get(ParamNames.CHECK));
                yield result(t, Outcome.RESPONDED, http(t, registry ? 401 : 200, List.of()), "answered", ids, null);
            }
            case SSH -> result(t, Outcome.RESPONDED, new SshEvidence("SSH-2.0-OpenSSH_9.2", "2.0", "OpenSSH_9.2", List.of(),
                    null, null), "banner", ids, null);
            case SIP -> result(t, Outcome.RESPONDED, sip(t, List.of()), "200 OK", ids, null);
            case RTP -> result(t, Outcome.PASSED, rtp(t, 0, 2.1, 4.3), "passed", ids, null);
            case NAT -> "hairpin".equals(t.params().get(ParamNames.CHECK))
                    ? result(t, Outcome.PASSED, new NatEvidence("hairpin", "10.20.10.5:40000", "10.20.10.5:40000", false, true,
                    t.target()), "hairpin", ids, null)
                    : result(t, Outcome.NAT, new NatEvidence("nat", "10.20.0.10:40000", "203.0.113.10:40000", true, true, null),
                    "nat", ids, null);
            default -> throw new IllegalStateException("no healthy result for " + t.kind());
        };
    }

    // --- planted results ----------------------------------------------------------------------

    private ProbeResult planted(ProbeTask t, JsonNode o, Counter ids) {
        String summary = o.path("summary").asText("planted " + o.path("outcome").asText(""));
        if (o.has("segments")) {
            List<RangeEvidence.Segment> segs = new ArrayList<>();
            Set<Outcome> distinct = new LinkedHashSet<>();
            for (String part : o.path("segments").asText().split(",")) {
                String[] w = part.strip().split("\\s+");
                Outcome out = Outcome.valueOf(w[0]);
                segs.add(new RangeEvidence.Segment(out, PortRange.parse(w[1])));
                distinct.add(out);
            }
            Outcome overall = o.has("outcome") ? Outcome.valueOf(o.path("outcome").asText())
                    : distinct.size() == 1 ? distinct.iterator().next() : Outcome.MIXED;
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            segs.forEach(s -> counts.merge(s.outcome(), s.ports().size(), Integer::sum));
            return result(t, overall, new RangeEvidence(segs, counts, 64, 2000, null), summary, ids, o);
        }
        Outcome out = Outcome.valueOf(o.path("outcome").asText());
        Evidence e = switch (t.kind()) {
            case TCP, UDP -> new PortEvidence(3, text(o, "error"), text(o, "icmp"), text(o, "reply"), "n0nce",
                    o.path("echoed").asBoolean(), text(o, "seen"));
            case TCP_RANGE, UDP_RANGE -> out == Outcome.MIXED ? null : range(t, out);
            case DNS -> {
                List<String> observed = new ArrayList<>();
                o.path("observed").forEach(a -> observed.add(a.asText()));
                yield dns(t, observed, switch (out) {
                    case NXDOMAIN -> "NXDOMAIN";
                    case SERVFAIL -> "SERVFAIL";
                    case REFUSED -> "REFUSED";
                    case TIMEOUT -> null;
                    default -> "NOERROR";
                });
            }
            case TLS -> {
                if (out != Outcome.TRUSTED && out != Outcome.UNTRUSTED && out != Outcome.INTERCEPTED) {
                    yield null;
                }
                TlsEvidence tls = tls(t, o.path("issuer").asText("CN=R11,O=Let's Encrypt,C=US"), out == Outcome.TRUSTED
                        || o.path("trusted").asBoolean(), out == Outcome.INTERCEPTED ? o.path("issuer").asText() : null);
                if (o.has("problems")) {
                    List<TlsEvidence.Problem> problems = new ArrayList<>();
                    o.path("problems").forEach(p -> problems.add(TlsEvidence.Problem.valueOf(p.asText())));
                    tls = new TlsEvidence(tls.sni(), tls.protocol(), tls.cipher(), tls.chain(), false, tls.chainTrusted(),
                            tls.trustAnchor(), !problems.contains(TlsEvidence.Problem.NAME_MISMATCH), problems,
                            tls.interceptedBy(), null);
                }
                if (o.has("subject")) {
                    TlsEvidence.Certificate c = tls.chain().get(0);
                    tls = new TlsEvidence(tls.sni(), tls.protocol(), tls.cipher(), List.of(new TlsEvidence.Certificate(
                            o.path("subject").asText(), c.issuer(), c.serial(), c.notBefore(), c.notAfter(), List.of(),
                            "leaf-" + o.path("subject").asText(), false)), false, tls.chainTrusted(), tls.trustAnchor(), false,
                            tls.problems(), tls.interceptedBy(), null);
                }
                yield tls;
            }
            case HTTP -> {
                List<String> proxy = new ArrayList<>();
                o.path("proxy").forEach(p -> proxy.add(p.asText()));
                HttpEvidence h = o.has("status") ? http(t, o.path("status").asInt(), proxy) : null;
                yield h == null || !o.has("location") ? h : new HttpEvidence(h.url(), h.status(), "Moved Permanently",
                        Map.of("location", List.of(o.path("location").asText())), h.check(), h.checkPassed(),
                        o.path("location").asText(), h.proxyIndicators(), o.path("captive").asBoolean(), null, null, null);
            }
            case SSH -> new SshEvidence(null, null, null, List.of(), text(o, "firstBytes"), text(o, "error"));
            case SIP -> {
                List<SipEvidence.Change> diff = new ArrayList<>();
                o.path("rewritten").forEach(d -> {
                    String[] p = d.asText().split("\\|");
                    diff.add(new SipEvidence.Change(p[0], p[1], p[2]));
                });
                SipEvidence healthy = sip(t, diff);
                yield new SipEvidence(healthy.transport(), healthy.requestUri(), healthy.callId(), healthy.branch(),
                        healthy.fromTag(), healthy.statusCode(), healthy.reason(), o.path("server").asText(healthy.server()),
                        null, healthy.rttMicros(), o.path("echoed").asBoolean(healthy.echoed()), healthy.rewritten(),
                        healthy.diff(), 0, List.of(), null);
            }
            case RTP -> out == Outcome.DEGRADED || out == Outcome.PASSED
                    ? rtp(t, o.path("loss").asDouble(0), o.path("jitter").asDouble(2.1), o.path("mos").asDouble(4.3)) : null;
            case NAT -> new NatEvidence(t.params().getOrDefault(ParamNames.CHECK, "nat"), "10.20.10.5:40000", null, false,
                    null, null);
            default -> null;
        };
        return result(t, out, o.path("no-evidence").asBoolean() ? null : e, summary, ids, o);
    }

    private static String text(JsonNode o, String field) {
        return o.has(field) ? o.path(field).asText() : null;
    }

    // --- evidence builders ----------------------------------------------------------------------

    private static PortEvidence port(String error, String icmp, String reply) {
        return new PortEvidence(reply == null ? 3 : 1, error, icmp, reply, "n0nce", reply != null, null);
    }

    private static RangeEvidence range(ProbeTask t, Outcome o) {
        return new RangeEvidence(List.of(new RangeEvidence.Segment(o, t.ports())), Map.of(o, t.ports().size()), 64, 2000, null);
    }

    private static List<String> expected(ProbeTask t) {
        String e = t.params().get(ParamNames.EXPECT);
        return e == null ? List.of() : List.of(e.split(","));
    }

    private static DnsEvidence dns(ProbeTask t, List<String> observed, String rcode) {
        List<String> expected = expected(t);
        List<String> missing = expected.stream().filter(a -> !observed.contains(a)).toList();
        List<String> unexpected = expected.isEmpty() ? List.of() : observed.stream().filter(a -> !expected.contains(a)).toList();
        List<DnsEvidence.Answer> answers = observed.stream()
                .map(a -> new DnsEvidence.Answer(t.target() + ".", t.param(ParamNames.RECORD, "A"), 300, a)).toList();
        return new DnsEvidence(t.target(), t.param(ParamNames.RECORD, "A"), "10.20.0.53:53", "resolv.conf", rcode, false,
                false, answers, observed, expected, missing, unexpected, List.of());
    }

    private static TlsEvidence tls(ProbeTask t, String issuer, boolean trusted, String interceptedBy) {
        String sni = t.param(ParamNames.SNI, t.target());
        String leafId = (trusted ? "leaf-" : "leaf-by-" + issuer + "-") + sni;
        TlsEvidence.Certificate leaf = new TlsEvidence.Certificate("CN=" + sni, issuer, "01", START.minusSeconds(86400),
                START.plusSeconds(86400 * 60), List.of("DNS:" + sni), leafId, false);
        return new TlsEvidence(sni, "TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of(leaf), false, trusted,
                trusted ? "CN=ISRG Root X1" : null, true, trusted ? List.of() : List.of(TlsEvidence.Problem.UNKNOWN_ISSUER),
                interceptedBy, null);
    }

    private static HttpEvidence http(ProbeTask t, int status, List<String> proxy) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (status == 401) {
            headers.put("docker-distribution-api-version", List.of("registry/2.0"));
        }
        String check = t.params().get(ParamNames.CHECK);
        return new HttpEvidence(t.param(ParamNames.SCHEME, "http") + "://" + t.target() + t.param(ParamNames.PATH, "/"), status,
                "", headers, "registry".equals(check) ? check : null, "registry".equals(check) ? status == 401 : null, null,
                proxy, false, null, null, null);
    }

    private SipEvidence sip(ProbeTask t, List<SipEvidence.Change> diff) {
        return new SipEvidence(t.param(ParamNames.TRANSPORT, "udp"), "sip:" + t.target(), "call-1", "z9hG4bK1", "tag1", 200,
                "OK", "FreeSWITCH", null, 1500L, responder(t), !diff.isEmpty(), diff, 0, List.of(), null);
    }

    private static RtpEvidence rtp(ProbeTask t, double loss, double jitter, double mos) {
        double maxLoss = Double.parseDouble(t.param(ParamNames.MAX_LOSS_PCT, "1"));
        double maxJitter = Double.parseDouble(t.param(ParamNames.MAX_JITTER_MS, "30"));
        double minMos = Double.parseDouble(t.param(ParamNames.MIN_MOS, "3.6"));
        int sent = 250;
        int received = (int) Math.round(sent * (100 - loss) / 100);
        return new RtpEvidence(sent, received, loss, jitter, 12, 20, 0, 0, mos, 90, 50, maxLoss, maxJitter, minMos);
    }

    private static final class Counter {
        private int n;

        int next() {
            return ++n;
        }
    }

    /** Field names of a JSON object, for error messages. */
    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
