package io.flywheel.compat;

/** The two servers every scenario runs against. */
enum Endpoint {
  FLYWHEEL("Flywheel", "fw"),
  DYNAMODB_LOCAL("DynamoDB Local", "ddbl");

  private final String displayName;
  private final String tableSuffix;

  Endpoint(String displayName, String tableSuffix) {
    this.displayName = displayName;
    this.tableSuffix = tableSuffix;
  }

  String displayName() {
    return displayName;
  }

  /** Appended to every table name a scenario uses here, so the two runs never share a name. */
  String tableSuffix() {
    return tableSuffix;
  }
}
