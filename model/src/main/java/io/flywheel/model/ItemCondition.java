package io.flywheel.model;

import java.util.Map;

/**
 * A condition on the current version of an item, evaluated by the partition leader when it decides
 * a write. The item is empty when it does not exist.
 */
@FunctionalInterface
public interface ItemCondition {
  boolean test(Map<String, AttributeValue> item);
}
