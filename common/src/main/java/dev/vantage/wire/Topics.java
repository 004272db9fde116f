package dev.vantage.wire;

/**
 * Kafka topic names shared by the coordinator and the agents.
 *
 * <p>Tasks go to one topic per site ({@code vantage.tasks.<site>}, keyed by agent id) so that a
 * prefixed-ACL per site keeps one customer's agents from reading another customer's tasks.
 * Results go to one shared topic keyed by survey id so that ingest can run as a consumer group.
 * Heartbeats go to a compacted topic keyed by agent id.
 */
public final class Topics {
    public static final String HEARTBEATS = "vantage.heartbeats";
    public static final String RESULTS = "vantage.results";
    public static final String TASKS_PREFIX = "vantage.tasks.";
    public static final String DEAD_LETTERS = "vantage.dead-letters";

    private Topics() {
    }

    /** The task topic of one site; site ids are validated to be topic-safe when a site is loaded. */
    public static String tasks(String siteId) {
        return TASKS_PREFIX + siteId;
    }
}
