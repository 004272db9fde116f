package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.vantage.params.ParamNames.ATTEMPTS;
import static dev.vantage.params.ParamNames.EXPECT;
import static dev.vantage.params.ParamNames.RECORD;
import static dev.vantage.params.ParamNames.SERVER;

/**
 * Parameters of a {@code dns} task: one question to one resolver.
 *
 * @param record   the record type to ask for, null for A
 * @param server   the resolver, {@code host[:port]}; null for the vantage's own
 * @param expect   values the answer must contain (addresses or names); empty: any answer passes
 * @param attempts UDP sends, null for 2
 * @param timeout  how long to wait for each answer
 */
public record DnsParams(RecordType record, String server, List<String> expect, Integer attempts, Duration timeout)
        implements ProbeParams {
    public static final int DEFAULT_ATTEMPTS = 2;

    /** Parameter {@code record}: the record types a dns probe asks for. */
    public enum RecordType implements Choice {
        A, AAAA, CNAME, SRV;

        @Override
        public String wireName() {
            return name();
        }
    }

    public DnsParams {
        expect = expect == null ? List.of() : List.copyOf(expect);
    }

    /** @throws MalformedParamException naming the field and value */
    public static DnsParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.DNS);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static DnsParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.DNS, params);
        DnsParams p = new DnsParams(in.choice(RECORD, RecordType.values()), in.text(SERVER), in.list(EXPECT),
                in.integer(ATTEMPTS, 1, UdpParams.MAX_ATTEMPTS), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public RecordType recordOrDefault() {
        return record == null ? RecordType.A : record;
    }

    public int attemptsOrDefault() {
        return attempts == null ? DEFAULT_ATTEMPTS : attempts;
    }

    public DnsParams withRecord(RecordType value) {
        return new DnsParams(value, server, expect, attempts, timeout);
    }

    public DnsParams withExpect(List<String> values) {
        return new DnsParams(record, server, values, attempts, timeout);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.DNS;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().choice(RECORD, record).text(SERVER, server).list(EXPECT, expect)
                .integer(ATTEMPTS, attempts).map();
    }
}
