package dev.vantage.params;

/**
 * Parameters of the port kinds (tcp, udp and their ranges), the only ones that can prove a port is blocked:
 * {@code expectState=blocked}.
 */
public interface PortParams extends ResponderAware {
    /** Reachable (absent on the wire) or blocked; never null. */
    ExpectState expectState();

    PortParams withExpectState(ExpectState expectState);
}
