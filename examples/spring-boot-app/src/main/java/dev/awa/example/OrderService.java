package dev.awa.example;

import dev.awa.core.NewJob;
import dev.awa.spring.AwaEnqueuer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders. The order row and its two jobs are written in one Spring transaction: if anything
 * after the enqueue throws, the order and the jobs are rolled back together.
 */
@Service
public class OrderService {
  /** Orders above this quantity are declined by the (simulated) payment provider. */
  static final int PAYMENT_LIMIT = 100;

  private final JdbcTemplate jdbc;
  private final AwaEnqueuer awa;

  public OrderService(JdbcTemplate jdbc, AwaEnqueuer awa) {
    this.jdbc = jdbc;
    this.awa = awa;
  }

  /** Arguments of {@code send_receipt}. */
  public record SendReceipt(long orderId, String item) {}

  /** Arguments of {@code reserve_stock}. */
  public record ReserveStock(long orderId, int quantity) {}

  /** The payment was declined; the order and its jobs were rolled back. */
  public static final class PaymentDeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PaymentDeclinedException(int quantity) {
      super("payment declined for " + quantity + " items (limit " + PAYMENT_LIMIT + ")");
    }
  }

  /** Writes the order, enqueues its receipt and stock reservation, then charges. */
  @Transactional
  public long place(String item, int quantity) {
    Long id =
        jdbc.queryForObject(
            "INSERT INTO orders (item, quantity) VALUES (?, ?) RETURNING id",
            Long.class,
            item,
            quantity);
    awa.enqueue(
        NewJob.builder("send_receipt").queue("mail").args(new SendReceipt(id, item)).build());
    awa.enqueue(NewJob.builder("reserve_stock").args(new ReserveStock(id, quantity)).build());
    // Charging last: a decline throws, and Spring rolls back the order with both jobs.
    if (quantity > PAYMENT_LIMIT) {
      throw new PaymentDeclinedException(quantity);
    }
    return id;
  }
}
