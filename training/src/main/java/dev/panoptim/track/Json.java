package dev.panoptim.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of configs, summaries and histograms (Jackson). NaN and infinities are written as the
 * strings "NaN", "Infinity", "-Infinity" (Jackson's default), so every document stays valid JSON.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private Json() {}

    /** A config (a record, a bean, a Map, or null for none) as a JSON object. */
    static String config(Object config) {
        if (config == null) return "{}";
        JsonNode node;
        try {
            node = MAPPER.valueToTree(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the config (a " + config.getClass().getName() + ") cannot be written as JSON: "
                    + e.getMessage(), e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("the config must be a record, a bean or a Map (a JSON object), not a "
                    + config.getClass().getName() + " (JSON " + node.getNodeType().name().toLowerCase() + ")");
        }
        return node.toString();
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON object as an unmodifiable map, in the document's order. */
    static Map<String, Object> readObject(String json) {
        try {
            return Collections.unmodifiableMap(MAPPER.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not an object: " + e.getOriginalMessage(), e);
        }
    }

    private static final TypeReference<java.util.List<String>> STRINGS = new TypeReference<>() {};

    /** A JSON array of strings (the stored tags) as an unmodifiable list. */
    static java.util.List<String> readStrings(String json) {
        try {
            return java.util.List.copyOf(MAPPER.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not an array of strings: " + e.getOriginalMessage(), e);
        }
    }

    static String histogram(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", h.min());
        m.put("max", h.max());
        m.put("counts", h.counts());
        if (h.nonFinite() != 0) m.put("nonFinite", h.nonFinite());
        return write(m);
    }

    static Histogram readHistogram(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            JsonNode c = n.get("counts");
            long[] counts = new long[c.size()];
            for (int i = 0; i < counts.length; i++) counts[i] = c.get(i).asLong();
            return new Histogram(n.get("min").asDouble(), n.get("max").asDouble(), counts,
                    n.has("nonFinite") ? n.get("nonFinite").asLong() : 0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored histogram is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
