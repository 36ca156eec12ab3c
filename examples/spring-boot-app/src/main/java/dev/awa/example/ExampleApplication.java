package dev.awa.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop that takes orders over HTTP and sends receipts and reserves stock in the background with
 * Awa: {@code POST /orders} writes the order and enqueues both jobs in one transaction.
 */
@SpringBootApplication
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
