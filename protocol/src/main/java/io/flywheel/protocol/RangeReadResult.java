package io.flywheel.protocol;

import java.util.List;

/**
 * What a range read found.
 *
 * @param images the stored images of the evaluated items that passed the filter, in read order
 * @param evaluatedCount items evaluated (DynamoDB's ScannedCount)
 * @param evaluatedBytes their total DynamoDB size (what read capacity is charged for)
 * @param lastEvaluated the image of the last evaluated item when the read stopped at a limit
 *     (DynamoDB then returns its key as LastEvaluatedKey); null when the range was exhausted
 */
public record RangeReadResult(List<byte[]> images, int evaluatedCount, long evaluatedBytes, byte[] lastEvaluated) {}
