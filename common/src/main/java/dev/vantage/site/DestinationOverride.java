package dev.vantage.site;

/**
 * A site's concrete value for an external destination the catalog leaves open or lets a site change
 * (e.g. the customer's Azure blob account host).
 *
 * @param key  the catalog's override key
 * @param host host name to probe instead of the catalog's hosts
 * @param port port to probe instead of the catalog's, or null
 */
public record DestinationOverride(String key, String host, Integer port) {
}
