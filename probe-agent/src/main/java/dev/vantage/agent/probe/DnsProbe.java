package dev.vantage.agent.probe;

import dev.vantage.params.DnsParams;
import dev.vantage.params.MalformedParamException;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * DNS: asks one resolver one question over UDP (TCP after a truncated answer) and compares the
 * answer with what the task expects.
 *
 * <p>Parameters: {@code record} (A, AAAA, CNAME, SRV; default A), {@code server} ({@code host[:port]};
 * default the first nameserver of {@code /etc/resolv.conf}), {@code expect} (comma-separated
 * values), {@code attempts} (UDP sends, default 2).
 *
 * <p>The exchange ({@link DnsExchange}) keeps every reply it had to refuse as evidence; a probe
 * that only got such replies reports {@code UNEXPECTED}, one that got nothing {@code TIMEOUT}. A resolver it
 * cannot reach is a failure to resolve with the socket's outcome: {@code CLOSED} (ICMP port unreachable),
 * {@code UNREACHABLE} (no route, ICMP unreachable or prohibited, or this host's firewall refusing to send). The
 * answer is judged against the expected values by {@link DnsAnswer}.
 */
@ApplicationScoped
public class DnsProbe implements Probe {

    private final Path resolvConf;

    public DnsProbe() {
        this(Path.of("/etc/resolv.conf"));
    }

    DnsProbe(Path resolvConf) {
        this.resolvConf = resolvConf;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.DNS;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("udp");
        Deadline deadline = Deadline.of(task, context);
        DnsParams params;
        String typeName;
        int attempts;
        Duration timeout;
        Name name;
        try {
            params = DnsParams.read(task);
            String target = TaskInput.target(task);
            typeName = params.recordOrDefault().wireName();
            attempts = params.attemptsOrDefault();
            timeout = params.timeout();
            try {
                name = Name.fromString(target, Name.root);
            } catch (TextParseException e) {
                throw new MalformedTaskException("task " + task.taskId() + " has target '" + target
                        + "', not a domain name: " + e.getMessage());
            }
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        int type = Type.value(typeName);
        String source = params.server() != null ? "task" : "resolv.conf";
        InetSocketAddress server;
        try {
            server = resolver(params.server(), deadline, timeout);
        } catch (IllegalArgumentException | IOException e) {
            return result.outcome(Outcome.ERROR).summary("dns: " + e.getMessage()).build();
        }
        List<String> expected = expected(String.join(",", params.expect()), type);
        String resolverText = Endpoints.text(server);
        result.destination(resolverText).addressFamily(Endpoints.family(server));

        DnsExchange ex = new DnsExchange(name, type);
        long t0 = System.nanoTime();
        Message answer = ex.overUdp(server, timeout, attempts, result, deadline);
        result.timing("request", System.nanoTime() - t0);
        boolean truncated = false;
        boolean tcpFallback = false;
        boolean answeredOverTcp = false;
        if (answer != null && answer.getHeader().getFlag(Flags.TC)) {
            truncated = true;
            tcpFallback = true;
            long t1 = System.nanoTime();
            Message overTcp = ex.overTcp(server, timeout, deadline);
            result.timing("tcp", System.nanoTime() - t1);
            if (overTcp != null) {
                answer = overTcp;
                answeredOverTcp = true;
                result.protocol("tcp");
            }
        }

        String what = typeName + " " + name + " at " + resolverText;
        if (answer == null) {
            // a resolver this vantage cannot reach is a failure to resolve (CLOSED, UNREACHABLE), not a strange answer
            Outcome outcome = ex.failure != null ? ex.failure.outcome()
                    : ex.anomalies.isEmpty() ? Outcome.TIMEOUT : Outcome.UNEXPECTED;
            String why = switch (outcome) {
                case CLOSED -> "resolver port closed (ICMP port unreachable)";
                case UNREACHABLE -> "resolver unreachable: " + ex.failureMessage + ex.failure.explain();
                case ERROR -> "cannot send to the resolver: " + ex.failureMessage;
                case TIMEOUT -> "no answer within " + timeout.toMillis() + " ms x " + attempts;
                default -> "only unacceptable replies: " + ex.anomalies.get(0);
            };
            return result.outcome(outcome).summary(what + ": " + why)
                    .evidence(new DnsEvidence(name.toString(), typeName, resolverText, source, null, false, false,
                            List.of(), List.of(), expected, List.of(), List.of(), ex.anomalies))
                    .build();
        }

        DnsAnswer.Verdict verdict = DnsAnswer.judge(answer, type, expected, truncated, answeredOverTcp);
        return result.outcome(verdict.outcome()).summary(what + ": " + verdict.detail())
                .evidence(new DnsEvidence(name.toString(), typeName, resolverText, source,
                        Rcode.string(answer.getRcode()), truncated, tcpFallback, verdict.records(), verdict.observed(),
                        expected, verdict.missing(), verdict.unexpected(), ex.anomalies))
                .build();
    }

    private InetSocketAddress resolver(String server, Deadline deadline, Duration timeout) throws IOException {
        if (server != null && !server.isBlank()) {
            Endpoints.HostPort hp;
            try {
                hp = Endpoints.parse(server, 53);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dns parameter server=" + server + ": " + e.getMessage(), e);
            }
            return new InetSocketAddress(NameLookup.address(hp.host(), deadline, timeout), hp.port());
        }
        if (Files.isReadable(resolvConf)) {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    String ip = words[1];
                    int zone = ip.indexOf('%');
                    return new InetSocketAddress(InetAddress.getByName(zone < 0 ? ip : ip.substring(0, zone)), 53);
                }
            }
        }
        throw new IllegalArgumentException("no server given and no nameserver in " + resolvConf
                + "; pass one with server=host[:port]");
    }

    private static List<String> expected(String text, int type) {
        return DnsAnswer.expected(text, type);
    }
}
