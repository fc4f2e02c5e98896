package dev.panoptim.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The API's JSON writer (Jackson): NaN and infinities become the strings "NaN", "Infinity", "-Infinity"
 * (Jackson's default), since JSON has no literals for them and a chart must still see a NaN step.
 *
 * <pre>{@code String body = JsonOut.write(Map.of("projects", store.projects()));}</pre>
 */
final class JsonOut {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonOut() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
