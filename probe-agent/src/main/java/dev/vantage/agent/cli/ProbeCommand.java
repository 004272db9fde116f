package dev.vantage.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vantage.agent.probe.Endpoints;
import dev.vantage.agent.probe.Probe;
import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.params.Durations;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.ParamNames;
import dev.vantage.params.ProbeParams;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code probe KIND TARGET [PORTS]}: one ad-hoc probe, as a technician runs it. Builds the same
 * {@link ProbeTask} a survey would send, its parameters through the record of the kind (so an option the
 * kind does not take, or a bad value, is refused naming it), and runs it through the {@link ProbeRegistry},
 * so it works for every kind this agent has. Exit 0 when the probe ran, whatever it observed; 2 on bad input.
 */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {"Run one probe from here and print what it observed.",
                "Examples:",
                "  probe tcp 10.0.0.5:5061 --timeout 1s",
                "  probe udp-range 10.0.0.5 30000-34999 --responder",
                "  probe dns jtelacd.example.com --server 10.0.0.53 --expect 10.0.0.5",
                "  probe tls api.openai.com:443 --public",
                "  probe http registry.example.com:443 --check registry",
                "  probe http 10.0.0.5:8443 --scheme https --sni jtelacd.example.com",
                "  probe sip 10.0.0.5:5060 --transport udp"})
public class ProbeCommand implements Callable<Integer> {
    private final ProbeRegistry registry;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "probe kind: tcp, udp, tcp-range, udp-range, dns, "
            + "tls, http, ssh, sip, rtp, nat")
    String kind;

    @Parameters(index = "1", paramLabel = "TARGET", description = "host name or address, optionally with :port")
    String target;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PORTS", description = "port or range, e.g. 5060 or 30000-34999")
    String ports;

    @Option(names = "--timeout", description = "per-attempt timeout, e.g. 300ms, 1s, 2m (default: the kind's, the one a "
            + "survey uses)")
    String timeout;

    @Option(names = "--server", description = "dns: resolver to ask, host[:port] (default: this machine's)")
    String server;

    @Option(names = "--expect", description = "dns: expected answer, comma-separated")
    String expect;

    @Option(names = "--record", description = "dns: A, AAAA, CNAME or SRV (default A)")
    String record;

    @Option(names = "--transport", description = "sip: udp, tcp or tls; nat: udp or tcp")
    String transport;

    @Option(names = "--sni", description = "tls, https, sip over tls: server name to send (default the target when it is a name)")
    String sni;

    @Option(names = "--public", description = "tls: the destination is public; a chain to no public root is interception")
    boolean isPublic;

    @Option(names = "--scheme", description = "http: http or https (default https on port 443, else http)")
    String scheme;

    @Option(names = "--path", description = "http: path to GET")
    String path;

    @Option(names = "--check", description = "http: registry or no-proxy; tls: interception; nat: hairpin")
    String check;

    @Option(names = "--responder", description = "tcp, udp, ranges, sip, rtp, nat: the far side runs a Vantage responder")
    boolean responder;

    @Option(names = "--duration", description = "rtp: how long to stream, e.g. 5s")
    String duration;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "any other parameter of the kind, e.g. "
            + "attempts=1, rate=200, detail=ports, publicAddress=203.0.113.10")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--format", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE})")
    String format;

    @Inject
    public ProbeCommand(ProbeRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() {
        ProbeKind probeKind;
        try {
            probeKind = ProbeKind.fromWireName(kind.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("unknown probe kind '" + kind + "'; this agent can run " + kinds());
        }
        Probe probe;
        try {
            probe = registry.probe(probeKind);
        } catch (IllegalArgumentException e) {
            throw bad("this agent has no '" + probeKind.wireName() + "' probe; it can run " + kinds());
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw bad("--format '" + format + "' is not text or json");
        }
        ProbeTask task = task(probeKind);
        ProbeResult result = probe.run(task, ProbeContext.standalone(AgentVersion.current()));
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.equals("json") ? Wire.encodeToString(result) : text(result));
        out.flush();
        return 0;
    }

    private String kinds() {
        return registry.capabilities().stream().map(ProbeKind::wireName).sorted().collect(Collectors.joining(", "));
    }

    private ProbeTask task(ProbeKind probeKind) {
        Endpoints.HostPort hp;
        try {
            hp = Endpoints.parse(target, -1);
        } catch (IllegalArgumentException e) {
            throw bad("TARGET " + e.getMessage());
        }
        PortRange range = null;
        if (hp.port() > 0 && ports != null) {
            throw bad("port given twice: in TARGET '" + target + "' and as PORTS '" + ports + "'");
        }
        if (hp.port() > 0) {
            range = PortRange.of(hp.port());
        } else if (ports != null) {
            try {
                range = PortRange.parse(ports);
            } catch (IllegalArgumentException e) {
                throw bad("PORTS " + e.getMessage());
            }
        }
        Map<String, String> p = new LinkedHashMap<>(params);
        put(p, ParamNames.SERVER, server);
        put(p, ParamNames.EXPECT, expect);
        put(p, ParamNames.RECORD, record);
        put(p, ParamNames.TRANSPORT, transport);
        put(p, ParamNames.SNI, sni);
        put(p, ParamNames.SCHEME, scheme);
        put(p, ParamNames.PATH, path);
        put(p, ParamNames.CHECK, check);
        put(p, ParamNames.DURATION, duration);
        if (isPublic) {
            p.put(ParamNames.PUBLIC, "true");
        }
        if (responder) {
            p.put(ParamNames.RESPONDER, "true");
        }
        Duration perAttempt = null;
        if (timeout != null) {
            try {
                perAttempt = Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                throw bad("--timeout " + e.getMessage());
            }
        }
        ProbeParams typed;
        try {
            typed = ProbeParams.of(probeKind, p, perAttempt);
        } catch (MalformedParamException e) {
            throw bad(e.getMessage());
        }
        return new ProbeTask(Wire.SCHEMA_VERSION, "cli-" + UUID.randomUUID(), null, null, "standalone", null, null,
                probeKind, hp.host(), range, typed.toParams(), typed.timeout());
    }

    private static void put(Map<String, String> params, String key, String value) {
        if (value != null) {
            params.put(key, value);
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A block a person reads: headline, summary, addresses, timings, then the evidence field by field. */
    static String text(ProbeResult r) {
        StringBuilder out = new StringBuilder();
        out.append(r.kind().wireName()).append(' ').append(r.target())
                .append(r.ports() == null ? "" : " port " + r.ports()).append(": ").append(r.outcome()).append('\n');
        out.append("  ").append(r.summary()).append('\n');
        if (r.sourceAddress() != null) {
            out.append("  from        ").append(r.sourceAddress()).append('\n');
        }
        if (r.destinationAddress() != null) {
            out.append("  to          ").append(r.destinationAddress());
            if (r.addressFamily() != null || r.protocol() != null) {
                out.append(" (").append(r.addressFamily() == null ? "" : r.addressFamily() + ", ")
                        .append(r.protocol() == null ? "" : r.protocol()).append(')');
            }
            out.append('\n');
        }
        out.append("  timings     ").append(r.timingsMicros().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + " us").collect(Collectors.joining(", "))).append('\n');
        if (r.evidence() != null) {
            out.append("  evidence\n");
            fields(out, Wire.mapper().valueToTree(r.evidence()), "    ");
        }
        return out.toString().stripTrailing();
    }

    /** The fields of a JSON object as indented {@code name: value} lines; lists one item a line. */
    private static void fields(StringBuilder out, JsonNode object, String indent) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode v = field.getValue();
            if (field.getKey().equals("type") || v.isNull() || (v.isContainerNode() && v.isEmpty())) {
                continue;
            }
            out.append(indent).append(field.getKey()).append(':');
            if (v.isValueNode()) {
                out.append(' ').append(v.asText()).append('\n');
            } else if (v.isObject()) {
                out.append('\n');
                fields(out, v, indent + "  ");
            } else {
                out.append('\n');
                for (JsonNode item : v) {
                    if (item.isObject()) {
                        StringBuilder nested = new StringBuilder();
                        fields(nested, item, indent + "    ");
                        out.append(indent).append("  - ").append(nested.substring(indent.length() + 4));
                    } else {
                        out.append(indent).append("  - ").append(item.isValueNode() ? item.asText() : item.toString())
                                .append('\n');
                    }
                }
            }
        }
    }
}
