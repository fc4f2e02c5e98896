package dev.panoptim.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * An optimizer's state in torch's {@code state_dict()} structure: {@code state} maps a param's index
 * (counted across groups, in order) to its {@code step} and buffers ({@code float[]} copies), and
 * {@code param_groups} lists each group's options with {@code params} as indices. Jackson writes and
 * reads it as JSON; buffers read back from JSON arrive as lists of numbers, which
 * {@link Optimizer#loadStateDict} accepts.
 *
 * <pre>{@code String json = opt.stateDict().toJson(); other.loadStateDict(StateDict.fromJson(json));}</pre>
 */
public record StateDict(@JsonProperty("state") Map<Integer, Map<String, Object>> state,
                        @JsonProperty("param_groups") List<Map<String, Object>> paramGroups) {
    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonCreator
    public StateDict {
        if (state == null) throw new IllegalArgumentException("state dict has no 'state'");
        if (paramGroups == null) throw new IllegalArgumentException("state dict has no 'param_groups'");
    }

    /** This state dict as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state dict could not be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a state dict written by {@link #toJson()}; malformed JSON is an IllegalArgumentException. */
    public static StateDict fromJson(String json) {
        try {
            return JSON.readValue(json, StateDict.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a panoptim state dict: " + e.getOriginalMessage(), e);
        }
    }
}
