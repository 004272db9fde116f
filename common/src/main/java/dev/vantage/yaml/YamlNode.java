package dev.vantage.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A position in a parsed YAML file that knows its field path, so every rejection can name the
 * file, the path and the offending value. Readers walk the tree by hand instead of binding it to
 * classes: that keeps unknown keys an error, makes every message precise, and needs no reflection
 * in a native image.
 */
public final class YamlNode {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int MAX_VALUE_CHARS = 60;

    private final String file;
    private final String path;
    private final JsonNode node;
    private final InvalidFileException.Factory errors;

    private YamlNode(String file, String path, JsonNode node, InvalidFileException.Factory errors) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.errors = errors;
    }

    /**
     * Parses one YAML document whose top level must be a mapping.
     *
     * @param file   name used in messages
     * @param errors builds the exception type of this kind of file
     */
    public static YamlNode parse(String file, String text, InvalidFileException.Factory errors) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            throw errors.create(file, "", null, where + "not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw errors.create(file, "", null, "the file is empty, expected a YAML mapping");
        }
        YamlNode root = new YamlNode(file, "", tree, errors);
        root.requireObject();
        return root;
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    /** The same node reported under another path, e.g. {@code requirements[inbound.rtp]} instead of an index. */
    public YamlNode renamed(String newPath) {
        return new YamlNode(file, newPath, node, errors);
    }

    /** An error at this node, quoting its value. */
    public InvalidFileException fail(String problem) {
        return errors.create(file, path, render(node), problem);
    }

    /** Rejects keys other than the given ones, naming the first unknown key and listing the allowed ones. */
    public YamlNode allowOnly(String... keys) {
        requireObject();
        List<String> allowed = Arrays.asList(keys);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw errors.create(file, child(key), render(node.get(key)),
                        "unknown key '" + key + "', allowed here: " + String.join(", ", allowed));
            }
        }
        return this;
    }

    /** Whether the key is present with a value; {@code key:} with nothing after it counts as absent. */
    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull() && !(v.isTextual() && v.asText().isBlank());
    }

    /** A required child. */
    public YamlNode get(String key) {
        if (!has(key)) {
            throw errors.create(file, child(key), null, "missing, this field is required");
        }
        return new YamlNode(file, child(key), node.get(key), errors);
    }

    public Optional<YamlNode> optional(String key) {
        return has(key) ? Optional.of(new YamlNode(file, child(key), node.get(key), errors)) : Optional.empty();
    }

    /** This node as text; numbers and booleans are accepted as written, lists and mappings are not. */
    public String text() {
        if (!node.isValueNode()) {
            throw fail("expected a single value, found " + describe(node));
        }
        String t = node.asText().strip();
        if (t.isEmpty()) {
            throw fail("must not be empty");
        }
        return t;
    }

    public String text(String key) {
        return get(key).text();
    }

    public Optional<String> optionalText(String key) {
        return optional(key).map(YamlNode::text);
    }

    public boolean bool() {
        if (!node.isBoolean()) {
            throw fail("expected true or false, found " + describe(node));
        }
        return node.booleanValue();
    }

    /**
     * Reads a value from a fixed vocabulary (case-insensitive, {@code -} and {@code _} alike).
     */
    public <E extends Enum<E>> E oneOf(Class<E> type, Function<E, String> wireName) {
        String t = text();
        for (E e : type.getEnumConstants()) {
            if (wireName.apply(e).equalsIgnoreCase(t.replace('_', '-'))) {
                return e;
            }
        }
        throw fail("'" + t + "' is not allowed, expected one of "
                + Arrays.stream(type.getEnumConstants()).map(wireName).collect(Collectors.joining(", ")));
    }

    /** A sequence; a single scalar is accepted as a list of one only when {@code scalarAllowed}. */
    public List<YamlNode> items(boolean scalarAllowed) {
        if (node.isValueNode() && scalarAllowed) {
            return List.of(this);
        }
        if (!node.isArray()) {
            throw fail("expected a list, found " + describe(node));
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", node.get(i), errors));
        }
        return out;
    }

    public List<YamlNode> items(String key) {
        return optional(key).map(n -> n.items(false)).orElse(List.of());
    }

    public List<String> texts(String key) {
        return items(key).stream().map(YamlNode::text).toList();
    }

    /**
     * A port, a range or a comma-separated list of them ({@code 22}, {@code 30000-34999}, {@code "80, 443"}),
     * or a YAML list of those.
     */
    public List<dev.vantage.wire.PortRange> ports() {
        List<dev.vantage.wire.PortRange> out = new ArrayList<>();
        for (YamlNode item : items(true)) {
            for (String part : item.text().split(",")) {
                try {
                    out.add(dev.vantage.wire.PortRange.parse(part));
                } catch (IllegalArgumentException e) {
                    throw item.fail(e.getMessage() + " (ports are 1-65535, written 5060, 30000-34999 or \"80, 443\")");
                }
            }
        }
        return out;
    }

    /** A duration written {@code 500ms}, {@code 3s}, {@code 10m} or {@code 1h}. */
    public java.time.Duration duration() {
        String t = text();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(ms|s|m|h)").matcher(t);
        if (!m.matches()) {
            throw fail("'" + t + "' is not a duration, expected a number with ms, s, m or h, e.g. 3s or 10m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    /** A mapping's entries in file order. */
    public Map<String, YamlNode> entries() {
        requireObject();
        Map<String, YamlNode> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), new YamlNode(file, child(e.getKey()), e.getValue(), errors)));
        return out;
    }

    public boolean isMapping() {
        return node.isObject();
    }

    public boolean isList() {
        return node.isArray();
    }

    private void requireObject() {
        if (!node.isObject()) {
            throw fail("expected a mapping of keys to values, found " + describe(node));
        }
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode n) {
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asText();
        }
        return "'" + n.asText() + "'";
    }

    private static String render(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isValueNode() ? n.asText() : n.toString();
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "..." : s;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.strip().replaceAll("\\s+", " ");
    }
}
