package dev.vantage.analysis;

import dev.vantage.catalog.Protocol;
import dev.vantage.params.DnsParams;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.NatParams;
import dev.vantage.params.ProbeParams;
import dev.vantage.params.RespondParams;
import dev.vantage.params.ResponderAware;
import dev.vantage.params.SipParams;
import dev.vantage.params.Transport;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.List;

/**
 * The analysis reads a task's parameters through the same records the planner wrote them with and the probe
 * read them with. The tasks are the plan's own; one whose parameters do not read (a plan stored by another
 * version) counts as having none, and its results are judged on what they say.
 */
final class PlannedParams {
    private PlannedParams() {
    }

    /** The task's parameters, or null when they do not read. */
    static ProbeParams of(ProbeTask task) {
        try {
            return task.kind().control() ? null : ProbeParams.read(task);
        } catch (MalformedParamException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The plan put a Vantage responder at the far end (pre-install surveys, the NAT check). */
    static boolean responder(ProbeTask task) {
        return of(task) instanceof ResponderAware p && p.responder();
    }

    /** The transport of a sip or nat probe, or of a responder window; null for the other kinds. */
    static Protocol transport(ProbeTask task) {
        ProbeParams params = of(task);
        Transport t = params instanceof SipParams p ? p.transportOrDefault()
                : params instanceof NatParams p ? p.transportOrDefault()
                : params instanceof RespondParams p ? p.transportOrDefault() : null;
        return t == null ? null : t == Transport.UDP ? Protocol.UDP : Protocol.TCP;
    }

    /** The addresses a dns task expects in the answer; empty when any answer passes. */
    static List<String> expectedAddresses(ProbeTask task) {
        return of(task) instanceof DnsParams p && p.expect() != null ? p.expect() : List.of();
    }

    /** The record type a dns task asks for. */
    static String record(ProbeTask task) {
        return of(task) instanceof DnsParams p ? p.recordOrDefault().name() : "A";
    }

    /** How long a responder window stays open; null when the task does not say. */
    static Duration window(ProbeTask task) {
        return of(task) instanceof RespondParams p ? p.durationOrDefault() : null;
    }
}
