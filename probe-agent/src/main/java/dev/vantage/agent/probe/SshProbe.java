package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.SshParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SshEvidence;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SSH: waits for the server's identification line ({@code SSH-2.0-...}, RFC 4253 section 4.2).
 * Sends nothing, so it never starts a key exchange.
 *
 * <p>Outcome: {@code RESPONDED} with the banner; {@code UNEXPECTED} with the first bytes when
 * something else answered (an HTTP proxy, a TLS server's alert); {@code TIMEOUT} when the
 * connection was accepted but nothing came; the port outcomes when the TCP connect failed.
 */
@ApplicationScoped
public class SshProbe implements Probe {
    /** RFC 4253: the identification line is at most 255 characters; lines before it are allowed. */
    private static final int MAX_LINE = 255;
    private static final int MAX_LINES = 10;

    @Override
    public ProbeKind kind() {
        return ProbeKind.SSH;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("ssh");
        Deadline deadline = Deadline.of(task, context);
        String host;
        Duration timeout;
        try {
            timeout = SshParams.read(task).timeout();
            host = TaskInput.target(task);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        int port = TaskInput.port(task, 22);
        TcpConnect.Attempt tcp = TcpConnect.open(host, port, timeout, deadline);
        tcp.timings(result);
        if (!tcp.connected()) {
            return result.outcome(tcp.failure()).summary("SSH: " + tcp.describe(host, port))
                    .evidence(new SshEvidence(null, null, null, List.of(), null, tcp.error())).build();
        }
        String where = host + ":" + port;
        List<String> before = new ArrayList<>();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long r0 = System.nanoTime();
        deadline.phase("banner");
        Duration wait = deadline.cap(timeout);
        try (var socket = tcp.socket()) {
            InputStream in = DeadlineInput.of(socket, wait);
            for (int n = 0; n < MAX_LINES; n++) {
                String line = readLine(in, seen);
                if (line == null) {
                    break;
                }
                if (line.startsWith("SSH-")) {
                    result.timing("banner", System.nanoTime() - r0);
                    String[] parts = line.split(" ", 2)[0].split("-", 3);
                    String proto = parts.length > 1 ? parts[1] : null;
                    String software = parts.length > 2 ? parts[2] : null;
                    return result.outcome(Outcome.RESPONDED).summary("SSH banner from " + where + ": " + line)
                            .evidence(new SshEvidence(line, proto, software, before, null, null)).build();
                }
                before.add(Printable.of(line, MAX_LINE));
            }
            result.timing("banner", System.nanoTime() - r0);
            return unexpected(result, where, seen, before, seen.size() == 0
                    ? "connection closed without a banner" : "no SSH banner in the first lines");
        } catch (SocketTimeoutException e) {
            result.timing("banner", System.nanoTime() - r0);
            if (seen.size() == 0) {
                String error = "connection accepted but no banner within " + wait.toMillis() + " ms";
                return result.outcome(Outcome.TIMEOUT).summary("SSH to " + where + ": " + error)
                        .evidence(new SshEvidence(null, null, null, before, null, error)).build();
            }
            return unexpected(result, where, seen, before, "no SSH banner before the timeout");
        } catch (IOException e) {
            return unexpected(result, where, seen, before, TcpConnect.message(e));
        }
    }

    private static ProbeResult unexpected(ProbeContext.ResultBuilder result, String where, ByteArrayOutputStream seen,
                                          List<String> before, String error) {
        byte[] b = seen.toByteArray();
        String first = Printable.of(b, 0, b.length, 128);
        return result.outcome(Outcome.UNEXPECTED)
                .summary("SSH to " + where + ": " + error + (b.length == 0 ? "" : "; it sent: " + first))
                .evidence(new SshEvidence(null, null, null, before, b.length == 0 ? null : first, error)).build();
    }

    /** A line without its CR LF, or null at end of stream before any byte; bounded. */
    private static String readLine(InputStream in, ByteArrayOutputStream seen) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() <= MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            seen.write(b);
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
