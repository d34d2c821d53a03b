package io.flywheel.protocol;

/**
 * The stored image of an item ({@link io.flywheel.model.ItemCodec}), or null when absent. Kept
 * encoded so a router can stream it to the client without building the item.
 */
public record ReadResult(byte[] image) {}
