/**
 * DynamoDB's JSON 1.0 wire format: request shapes declared like the service model, a streaming
 * parser that reads a body against its shape (DynamoDB's {@code SerializationException} messages
 * for type mismatches), the constraint checks DynamoDB reports as "N validation errors detected",
 * and the attribute-value codec.
 *
 * <p>Rules: JSON {@code null} is the same as an absent member; unknown members are ignored; numbers
 * inside {@code N}, {@code NS} stay strings and are validated by {@link
 * io.flywheel.model.DynamoNumber}; nothing here knows about tables or routing.
 */
package io.flywheel.httpapi.json;
