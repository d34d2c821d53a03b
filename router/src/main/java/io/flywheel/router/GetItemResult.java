package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * GetItem's result. When no projection applies, the item stays in its stored encoding ({@code
 * image}) so the HTTP layer can stream it without building it; otherwise {@code item} holds the
 * projected attributes. Both are null when there is no item.
 */
public record GetItemResult(byte[] image, Map<String, AttributeValue> item, ConsumedCapacity consumedCapacity) {}
