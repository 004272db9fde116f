package dev.vantage.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The per-kind part of a {@link ProbeResult}: what was seen, in a shape the analysis can read.
 * Each probe kind defines its own record implementing this interface and registers it with a
 * type name in {@code @JsonSubTypes} here, so a result decodes back into the same record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DnsEvidence.class, name = "dns"),
        @JsonSubTypes.Type(value = TlsEvidence.class, name = "tls"),
        @JsonSubTypes.Type(value = HttpEvidence.class, name = "http"),
        @JsonSubTypes.Type(value = SshEvidence.class, name = "ssh"),
        @JsonSubTypes.Type(value = SipEvidence.class, name = "sip"),
        @JsonSubTypes.Type(value = PortEvidence.class, name = "port"),
        @JsonSubTypes.Type(value = RangeEvidence.class, name = "range"),
        @JsonSubTypes.Type(value = RtpEvidence.class, name = "rtp"),
        @JsonSubTypes.Type(value = NatEvidence.class, name = "nat"),
        @JsonSubTypes.Type(value = ReceiptEvidence.class, name = "receipt")
})
public interface Evidence {
}
