package io.flywheel.model;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A table's primary key: a partition (hash) key and an optional sort (range) key. Validates keys
 * and items against the schema with DynamoDB's messages.
 */
public record KeySchema(KeyAttribute partitionKey, KeyAttribute sortKey) {
  public static final int MAX_PARTITION_KEY_BYTES = 2048;
  public static final int MAX_SORT_KEY_BYTES = 1024;

  public KeySchema {
    Objects.requireNonNull(partitionKey);
  }

  public boolean hasSortKey() {
    return sortKey != null;
  }

  public int size() {
    return sortKey == null ? 1 : 2;
  }

  public boolean isKeyAttribute(String name) {
    return partitionKey.name().equals(name) || (sortKey != null && sortKey.name().equals(name));
  }

  /**
   * Validates the {@code Key} parameter of GetItem, DeleteItem, UpdateItem: exactly the key
   * attributes, with the right types.
   */
  public PrimaryKey validateKey(Map<String, AttributeValue> key) {
    if (key.size() != size()) {
      throw keyMismatch();
    }
    AttributeValue pk = keyPiece(key, partitionKey, true);
    AttributeValue sk = sortKey == null ? null : keyPiece(key, sortKey, false);
    return new PrimaryKey(pk, sk);
  }

  private static DynamoException keyMismatch() {
    return DynamoException.validation("The provided key element does not match the schema");
  }

  private static AttributeValue keyPiece(Map<String, AttributeValue> key, KeyAttribute attr, boolean partition) {
    AttributeValue value = key.get(attr.name());
    if (value == null || !attr.type().matches(value)) {
      throw keyMismatch();
    }
    checkNotEmpty(value, attr, "One or more parameter values were invalid: ");
    checkKeySize(value, partition);
    return value;
  }

  /** Validates that an item (PutItem's {@code Item}) carries the key, and extracts it. */
  public PrimaryKey keyOfItem(Map<String, AttributeValue> item) {
    return new PrimaryKey(itemKeyPiece(item, partitionKey, true), sortKey == null ? null : itemKeyPiece(item, sortKey, false));
  }

  private static AttributeValue itemKeyPiece(Map<String, AttributeValue> item, KeyAttribute attr, boolean partition) {
    AttributeValue value = item.get(attr.name());
    if (value == null) {
      throw DynamoException.invalidParameter("Missing the key " + attr.name() + " in the item");
    }
    if (!attr.type().matches(value)) {
      throw DynamoException.invalidParameter(
          "Type mismatch for key " + attr.name() + " expected: " + attr.type() + " actual: " + value.typeName());
    }
    checkNotEmpty(value, attr, "One or more parameter values are not valid. ");
    checkKeySize(value, partition);
    return value;
  }

  private static void checkNotEmpty(AttributeValue value, KeyAttribute attr, String prefix) {
    if (value instanceof AttributeValue.S s && s.value().isEmpty()) {
      throw DynamoException.validation(
          prefix + "The AttributeValue for a key attribute cannot contain an empty string value. Key: " + attr.name());
    }
    if (value instanceof AttributeValue.B b && b.value().length() == 0) {
      throw DynamoException.validation(
          prefix + "The AttributeValue for a key attribute cannot contain an empty binary value. Key: " + attr.name());
    }
  }

  private static void checkKeySize(AttributeValue value, boolean partition) {
    int size = switch (value) {
      case AttributeValue.S s -> s.value().length() * 3 <= MAX_SORT_KEY_BYTES ? 0 : s.value().getBytes(StandardCharsets.UTF_8).length;
      case AttributeValue.B b -> b.value().length();
      default -> 0; // numbers are bounded by their 38 digits
    };
    if (partition && size > MAX_PARTITION_KEY_BYTES) {
      throw DynamoException.invalidParameter("Size of hashkey has exceeded the maximum size limit of2048 bytes");
    }
    if (!partition && size > MAX_SORT_KEY_BYTES) {
      throw DynamoException.invalidParameter(
          "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    }
  }

  /** The key attributes of an item, as a map (what ReturnValues and LastEvaluatedKey show). */
  public Map<String, AttributeValue> keyMap(PrimaryKey key) {
    Map<String, AttributeValue> map = new LinkedHashMap<>(4);
    map.put(partitionKey.name(), key.partition());
    if (sortKey != null) {
      map.put(sortKey.name(), key.sort());
    }
    return map;
  }
}
