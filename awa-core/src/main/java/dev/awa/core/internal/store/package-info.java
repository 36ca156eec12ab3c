/** Not API. The SQL of every statement on the awa tables; see adr/0006. */
package dev.awa.core.internal.store;
