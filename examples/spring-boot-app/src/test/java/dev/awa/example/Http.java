package dev.awa.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.context.ApplicationContext;

/** A small HTTP client for the example's endpoints on the context's random port. */
final class Http {
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  Http(ApplicationContext ctx) {
    this.base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
  }

  HttpResponse<String> postOrder(String item, int quantity)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/orders"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"item\":\"" + item + "\",\"quantity\":" + quantity + "}"))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
