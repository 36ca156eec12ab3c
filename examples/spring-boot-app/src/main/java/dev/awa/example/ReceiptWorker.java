package dev.awa.example;

import dev.awa.core.JobContext;
import dev.awa.core.JobResult;
import dev.awa.core.Worker;
import dev.awa.spring.AwaWorker;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Sends the receipt of an order (here: records it). A worker bean: the class is the worker. */
@Component
@AwaWorker(kind = "send_receipt", queue = "mail")
public class ReceiptWorker implements Worker {
  private final JdbcTemplate jdbc;

  public ReceiptWorker(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public JobResult perform(JobContext ctx) {
    OrderService.SendReceipt receipt = ctx.args(OrderService.SendReceipt.class);
    jdbc.update(
        "INSERT INTO receipts (order_id, job_id) VALUES (?, ?)", receipt.orderId(), ctx.id());
    return JobResult.completed();
  }
}
