package dev.awa.example;

import dev.awa.spring.AwaWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Workers as methods: typed args come through the application's ObjectMapper. */
@Component
public class StockWorkers {
  private static final Logger log = LoggerFactory.getLogger(StockWorkers.class);
  private final JdbcTemplate jdbc;

  public StockWorkers(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @AwaWorker(kind = "reserve_stock")
  public void reserve(OrderService.ReserveStock args) {
    jdbc.update("UPDATE orders SET reserved = true WHERE id = ?", args.orderId());
  }

  /** The periodic job of {@code awa.periodic.order-report} in application.properties. */
  @AwaWorker(kind = "order_report", queue = "reports")
  public void report() {
    Long orders = jdbc.queryForObject("SELECT count(*) FROM orders", Long.class);
    log.info("order report: {} orders", orders);
  }
}
