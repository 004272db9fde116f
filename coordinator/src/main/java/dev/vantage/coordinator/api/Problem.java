package dev.vantage.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 7807 problem document ({@code application/problem+json}) with two extension members:
 * {@code field}, the request field or parameter at fault (a dotted path into a site document), and
 * {@code value}, the value that was refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field,
                      String value) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
