package io.flywheel.engine.rocksdb;

/** A failure of the storage engine itself (I/O error, corruption): never the user's fault. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
