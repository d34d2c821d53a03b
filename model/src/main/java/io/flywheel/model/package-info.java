/**
 * The DynamoDB data model, independent of HTTP, storage and replication.
 *
 * <p>{@link io.flywheel.model.AttributeValue} is the sealed value type; {@link
 * io.flywheel.model.DynamoNumber} carries DynamoDB's 38-digit decimal semantics; {@link
 * io.flywheel.model.ItemSize} computes sizes exactly as DynamoDB bills and limits them; {@link
 * io.flywheel.model.ItemCodec} is the binary item image stored and replicated; {@link
 * io.flywheel.model.KeyEncoding} is the order-preserving key layout of DESIGN.md section 3; {@link
 * io.flywheel.model.DynamoException} carries DynamoDB's typed API errors.
 *
 * <p>Rules: values are immutable once built; every user-facing failure is a {@code
 * DynamoException} with DynamoDB's error type and message, never an unchecked JDK exception.
 */
package io.flywheel.model;
