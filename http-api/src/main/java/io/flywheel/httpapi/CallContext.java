package io.flywheel.httpapi;

/** Who called and where: what responses need to build ARNs. */
record CallContext(String region, String accountId) {
  String tableArn(String tableName) {
    return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + tableName;
  }
}
