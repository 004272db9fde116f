package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.CHECK;
import static dev.vantage.params.ParamNames.PUBLIC;
import static dev.vantage.params.ParamNames.SNI;

/**
 * Parameters of a {@code tls} task: a handshake whose chain is judged afterwards.
 *
 * @param sni               the server name to send and to check the certificate against; null for the target
 *                          when it is a name
 * @param publicDestination the destination is public ({@code public=true}): a chain to no public root is
 *                          {@code INTERCEPTED}
 * @param check             {@link Check#INTERCEPTION} when the requirement is that nothing inspects TLS; null
 *                          otherwise
 * @param timeout           how long the connect and the handshake may take
 */
public record TlsParams(String sni, boolean publicDestination, Check check, Duration timeout) implements ProbeParams {

    /** @throws MalformedParamException naming the field and value */
    public static TlsParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.TLS);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static TlsParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.TLS, params);
        TlsParams p = new TlsParams(ServerName.read(in, SNI), in.flag(PUBLIC), in.choice(CHECK, Check.INTERCEPTION),
                in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    /** The name to send to {@code target}: {@code sni}, else the target when it is a name; null for an address. */
    public String serverName(String target) {
        return ServerName.forTarget(sni, target);
    }

    public TlsParams withSni(String value) {
        return new TlsParams(value, publicDestination, check, timeout);
    }

    public TlsParams withPublicDestination(boolean value) {
        return new TlsParams(sni, value, check, timeout);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.TLS;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().text(SNI, sni).flag(PUBLIC, publicDestination).choice(CHECK, check).map();
    }
}
