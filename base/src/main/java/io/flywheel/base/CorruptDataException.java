package io.flywheel.base;

/**
 * Stored or received bytes that do not decode or whose checksum does not match. Always loud: the
 * component that reads them stops rather than continue on corrupt state.
 */
public class CorruptDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }
}
