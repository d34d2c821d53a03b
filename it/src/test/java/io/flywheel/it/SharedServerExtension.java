package io.flywheel.it;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Gives a test class the endpoint of the run's shared server (started on first use). */
final class SharedServerExtension implements BeforeAllCallback {
  private URI endpoint;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    endpoint = SharedServer.endpoint(context);
  }

  URI endpoint() {
    return endpoint;
  }
}
