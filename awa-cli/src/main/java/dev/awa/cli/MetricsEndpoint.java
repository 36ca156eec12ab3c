package dev.awa.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves the demo's meters as Prometheus text at {@code http://127.0.0.1:PORT/metrics}, on the
 * JDK's built-in HTTP server (one thread; scrapes are rare). Bound to the loopback interface only:
 * a demo has no business exposing a port to the network.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final HttpServer server;

  private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
  }

  /**
   * Starts serving on {@code port} (0 picks a free one).
   *
   * @throws CliException with {@link ExitCodes#USAGE} when the port is taken
   */
  static MetricsEndpoint start(int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      MetricsEndpoint endpoint = new MetricsEndpoint(registry, server);
      server.createContext("/metrics", endpoint::scrape);
      server.start();
      return endpoint;
    } catch (BindException e) {
      registry.close();
      throw new CliException(
          ExitCodes.USAGE, "cannot serve metrics on port " + port + ": already in use", e);
    } catch (IOException e) {
      registry.close();
      throw new CliException(
          ExitCodes.FAILURE, "cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The registry to bind meters to. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The URL to scrape. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
