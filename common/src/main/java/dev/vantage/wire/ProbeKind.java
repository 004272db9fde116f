package dev.vantage.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of probe an agent can run; the wire name is the lower-case, dashed form. */
public enum ProbeKind {
    TCP, UDP, TCP_RANGE, UDP_RANGE, DNS, TLS, HTTP, SSH, SIP, RTP, NAT,
    /** Open a responder window (pre-install surveys): the agent listens instead of probing. */
    RESPOND,
    /**
     * Not a probe: end the agent's responder windows of the task's survey. The coordinator sends it when the
     * survey completes, so that the windows do not hold their ports until they run out; the agent publishes no
     * result for it.
     */
    CLOSE;

    /** True for the kinds that are instructions to the agent rather than probes or responders. */
    public boolean control() {
        return this == CLOSE;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException naming the value and the allowed kinds
     */
    @JsonCreator
    public static ProbeKind fromWireName(String name) {
        for (ProbeKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown probe kind '" + name + "', expected one of "
                + Arrays.stream(values()).filter(k -> !k.control()).map(ProbeKind::wireName)
                .collect(Collectors.joining(", ")));
    }
}
