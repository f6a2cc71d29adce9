package dev.gollm.devstack.manager;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving every test a fresh {@link ManagerServer} (own temporary database),
 * closed after the test. Either inject it as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(ManagerExtension.class)
 * class MyTest { @Test void works(ManagerServer manager) { ... } }
 * }</pre>
 *
 * or register an instance with options and use {@link #server()}:
 *
 * <pre>{@code
 * @RegisterExtension
 * final ManagerExtension manager =
 *     new ManagerExtension(ManagerOptions.builder().relaxSseClamps(true).build());
 * }</pre>
 */
public final class ManagerExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ManagerExtension.class);

  private final ManagerOptions options;
  private volatile ManagerServer current;

  /** With {@link ManagerOptions#defaults()}. */
  public ManagerExtension() {
    this(ManagerOptions.defaults());
  }

  public ManagerExtension(ManagerOptions options) {
    this.options = options;
  }

  /** The server of the running test. */
  public ManagerServer server() {
    ManagerServer server = current;
    if (server == null) {
      throw new IllegalStateException("no manager is running: call server() inside a test");
    }
    return server;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ManagerServer server = ManagerServer.start(options);
    context.getStore(NAMESPACE).put(ManagerServer.class, server);
    current = server;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ManagerServer server =
        context.getStore(NAMESPACE).remove(ManagerServer.class, ManagerServer.class);
    current = null;
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ManagerServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ManagerServer server =
        context.getStore(NAMESPACE).get(ManagerServer.class, ManagerServer.class);
    if (server == null) {
      throw new IllegalStateException("the manager starts before each test; inject it into tests");
    }
    return server;
  }
}
