package io.flywheel.model;

import java.util.Map;

/**
 * Computes the new version of an item from its current one (empty when it does not exist), as the
 * partition leader does for UpdateItem. Throws {@link DynamoException} for an update that cannot
 * apply. Must not change key attributes.
 */
@FunctionalInterface
public interface ItemUpdate {
  Map<String, AttributeValue> apply(Map<String, AttributeValue> item);
}
