package dev.vantage.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.nio.charset.StandardCharsets;

/**
 * The JSON encoding of every message exchanged over Kafka. Both ends use this one codec, so the
 * wire format is defined in exactly one place.
 */
public final class Wire {
    /** Version of the message schema; bumped on any incompatible change of a wire record. */
    public static final int SCHEMA_VERSION = 1;

    /** Upper bound of one message on the wire; larger ones are refused as malformed. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Wire() {
    }

    /** The configured mapper, for callers that need trees or custom writers. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static String encodeToString(Object message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    /**
     * Reads a message of the given type and checks its schema version.
     *
     * @throws MalformedMessageException when the bytes are too large, not JSON, not of that type or
     *                                   of another schema version
     */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedMessageException("empty message where a " + type.getSimpleName() + " was expected");
        }
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new MalformedMessageException("message of " + bytes.length + " bytes exceeds the limit of "
                    + MAX_MESSAGE_BYTES + " bytes");
        }
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (java.io.IOException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": "
                    + firstLine(e.getMessage()), e);
        }
        if (value == null) {
            throw new MalformedMessageException("null where a " + type.getSimpleName() + " was expected");
        }
        return value;
    }

    public static <T> T decode(String json, Class<T> type) {
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** Checks the schema version carried by a decoded message. */
    public static void requireSchema(int schemaVersion, String what) {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new MalformedMessageException(what + " has schema version " + schemaVersion
                    + ", this build reads version " + SCHEMA_VERSION);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
