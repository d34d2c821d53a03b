package io.flywheel.httpapi.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The declared type of a request member, with DynamoDB's constraints. Parsed values are: {@code
 * String}, {@code Long}, {@code Boolean}, {@code byte[]} (blobs), {@code List}, {@code Map} (maps
 * and structures), {@link io.flywheel.model.AttributeValue}.
 */
public sealed interface Shape {

  /** A string; {@code enumValues} and {@code pattern} may be null, lengths -1 when unconstrained. */
  record Str(int minLength, int maxLength, Pattern pattern, List<String> enumValues) implements Shape {
    public static final Str ANY = new Str(-1, -1, null, null);

    public static Str enumOf(String... values) {
      return new Str(-1, -1, null, List.of(values));
    }

    public static Str of(int min, int max, String regex) {
      return new Str(min, max, regex == null ? null : Pattern.compile(regex), null);
    }
  }

  /** An integer; {@code javaType} is "Integer" or "Long" (it appears in error messages). */
  record Num(String javaType, Long min, Long max) implements Shape {}

  record Bool() implements Shape {}

  record Blob() implements Shape {}

  /** A list with length bounds (-1: none). */
  record ListOf(Shape member, int minLength, int maxLength) implements Shape {}

  /** A map with string keys; {@code valueTypeName} appears in errors, e.g. "AttributeValue". */
  record MapOf(Shape value, int minLength, int maxLength, String valueTypeName, Str keyConstraint) implements Shape {}

  /**
   * A structure. DynamoDB reports a scalar where a structure belongs differently for list elements
   * ("value structs") and members ("field structs"); the parser knows which it reads.
   */
  record Struct(String name, Map<String, Member> members) implements Shape {
    public static Builder builder(String name) {
      return new Builder(name);
    }

    /** Fluent declaration keeping member order. */
    public static final class Builder {
      private final String name;
      private final Map<String, Member> members = new LinkedHashMap<>();

      Builder(String name) {
        this.name = name;
      }

      public Builder member(String memberName, Shape shape) {
        members.put(memberName, new Member(shape, false, false));
        return this;
      }

      public Builder required(String memberName, Shape shape) {
        members.put(memberName, new Member(shape, true, false));
        return this;
      }

      /**
       * The TableName of a table operation: DynamoDB checks its presence and length before
       * anything else, with messages of their own.
       */
      public Builder tableName(String memberName, Shape shape) {
        members.put(memberName, new Member(shape, true, true));
        return this;
      }

      public Struct build() {
        return new Struct(name, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members)));
      }
    }
  }

  /**
   * A member of a structure; {@code notNull}: DynamoDB reports its absence; {@code tableNameRule}:
   * see {@link Struct.Builder#tableName}.
   */
  record Member(Shape shape, boolean notNull, boolean tableNameRule) {}

  /** DynamoDB's AttributeValue union, parsed straight into the model. */
  record Attribute() implements Shape {}

  /**
   * An AttributeValue inside {@code ExpressionAttributeValues}: parsed like {@link Attribute}, but
   * a value that fails validation is reported as "ExpressionAttributeValues contains invalid value:
   * ... for key :placeholder", as DynamoDB reports it.
   */
  record ExpressionAttributeValue() implements Shape {}
}
