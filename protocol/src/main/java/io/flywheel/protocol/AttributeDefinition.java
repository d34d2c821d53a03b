package io.flywheel.protocol;

import io.flywheel.model.ScalarType;

/** An attribute used in a key schema, with its type. */
public record AttributeDefinition(String name, ScalarType type) {}
