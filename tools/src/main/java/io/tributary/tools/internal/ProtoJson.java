package io.tributary.tools.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as the values {@link Json} writes, following protobuf's JSON mapping where it
 * matters to a reader: lowerCamelCase field names, enums by name, bytes as base64, only the fields
 * that are set, in field-number order. Unlike that mapping, 64-bit integers stay JSON numbers (our
 * offsets and ids are far below 2^53). Stateless.
 */
public final class ProtoJson {

    private ProtoJson() {
    }

    /** The message's set fields as a JSON object. */
    public static Map<String, Object> toJson(MessageOrBuilder message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            if (descriptor.isRepeated()) {
                List<Object> values = new ArrayList<>();
                for (Object value : (List<?>) field.getValue()) {
                    values.add(value(value));
                }
                fields.put(descriptor.getJsonName(), values);
            } else {
                fields.put(descriptor.getJsonName(), value(field.getValue()));
            }
        }
        return fields;
    }

    private static Object value(Object value) {
        if (value instanceof MessageOrBuilder message) {
            return toJson(message);
        }
        if (value instanceof EnumValueDescriptor enumValue) {
            return enumValue.getName();
        }
        if (value instanceof ByteString bytes) {
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        return value;
    }
}
