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
    /**
     * Version of the message schema; bumped on any incompatible change of a wire record. Version 2: results
     * travel in a {@link SignedResult} signed by their agent, and heartbeats announce the agent's public key.
     */
    public static final int SCHEMA_VERSION = 2;

    /**
     * The oldest {@link ProbeResult} schema this build reads. The result record itself is the same in versions 1
     * and 2 (version 2 put it into a signed envelope), so results spooled by an agent of version 1 and sent after
     * its upgrade, and results stored before the coordinator's upgrade, stay readable.
     */
    public static final int OLDEST_RESULT_SCHEMA = 1;

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

    /** Checks the schema version of a {@link ProbeResult}: {@link #OLDEST_RESULT_SCHEMA} to {@link #SCHEMA_VERSION}. */
    public static void requireResultSchema(int schemaVersion, String what) {
        if (!readsResultSchema(schemaVersion)) {
            throw new MalformedMessageException(what + " has schema version " + schemaVersion
                    + ", this build reads results of versions " + OLDEST_RESULT_SCHEMA + " to " + SCHEMA_VERSION);
        }
    }

    /** Whether a {@link ProbeResult} of this schema version can be read. */
    public static boolean readsResultSchema(int schemaVersion) {
        return schemaVersion >= OLDEST_RESULT_SCHEMA && schemaVersion <= SCHEMA_VERSION;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
