package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

/**
 * Parameters of an {@code ssh} task: it takes none but its timeout.
 *
 * @param timeout how long the connect and the wait for the banner may take
 */
public record SshParams(Duration timeout) implements ProbeParams {

    /** @throws MalformedParamException naming the field and value */
    public static SshParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.SSH);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static SshParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.SSH, params);
        SshParams p = new SshParams(in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.SSH;
    }

    @Override
    public Map<String, String> toParams() {
        return Map.of();
    }
}
