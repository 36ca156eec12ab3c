package dev.awa.example;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders {"item": "book", "quantity": 2}}: 201 with the order id, or 402. */
@RestController
public class OrderController {
  private final OrderService orders;

  public OrderController(OrderService orders) {
    this.orders = orders;
  }

  /** The order request body. */
  public record OrderRequest(String item, int quantity) {}

  @PostMapping("/orders")
  public ResponseEntity<Map<String, Object>> place(@RequestBody OrderRequest request) {
    long id = orders.place(request.item(), request.quantity());
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id));
  }

  @ExceptionHandler(OrderService.PaymentDeclinedException.class)
  public ResponseEntity<Map<String, Object>> declined(OrderService.PaymentDeclinedException e) {
    return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body(Map.of("error", e.getMessage()));
  }
}
