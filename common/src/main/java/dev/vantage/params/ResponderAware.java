package dev.vantage.params;

/**
 * Parameters of the kinds that may probe a port a Vantage responder serves ({@code responder=true}): the
 * planner marks them in pre-install surveys and for requirements that always need a responder.
 */
public interface ResponderAware extends ProbeParams {
    /** True when a Vantage responder is expected on the far side. */
    boolean responder();

    ResponderAware withResponder(boolean responder);
}
